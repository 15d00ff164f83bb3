using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Parley.Cli.Hosting;

/// <summary>
/// Hands log events to one writer thread in batches, so that logging every data event does not cost the network code a
/// thread wake-up per event (what an async sink that signals its thread for each event does; on one core that is a
/// context switch per event). <see cref="Emit"/> only enqueues a Debug or Trace event; the writer wakes every
/// <see cref="Period"/>, or at once when <see cref="WakeAt"/> events wait or an event of Information or above arrives,
/// and writes all that are queued, in order. When the queue holds its capacity, Emit waits
/// for room: an event is never dropped. Disposing writes everything still queued, then disposes the inner sink.
/// </summary>
internal sealed class BatchingSink : ILogEventSink, IDisposable
{
    private const int WakeAt = 1000;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    private readonly ILogEventSink _inner;
    private readonly int _capacity;
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly ManualResetEventSlim _room = new(true);
    private readonly Thread _writer;
    private int _count;
    private int _wakeRequested;
    private volatile bool _stopping;

    public BatchingSink(ILogEventSink inner, int capacity)
    {
        _inner = inner;
        _capacity = capacity;
        _writer = new Thread(Run) { IsBackground = true, Name = "parley log writer" };
        _writer.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        while (Volatile.Read(ref _count) >= _capacity && !_stopping)
        {
            // Full: block the caller until the writer has made room (never drop), waking it in case it sleeps.
            _room.Reset();
            Wake();
            _room.Wait(Period);
        }

        _queue.Enqueue(logEvent);

        // Service messages (Information and up) are few and a person may be watching for them: written at once.
        // Debug and Trace are the per-read data events: those are batched.
        if (Interlocked.Increment(ref _count) >= WakeAt || logEvent.Level >= LogEventLevel.Information)
        {
            Wake();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _work.Release();
        _writer.Join();
        (_inner as IDisposable)?.Dispose();
        _work.Dispose();
        _room.Dispose();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _work.Release();
        }
    }

    private void Run()
    {
        while (true)
        {
            _work.Wait(Period);
            Interlocked.Exchange(ref _wakeRequested, 0);
            var stopping = _stopping;
            Drain();
            if (stopping)
            {
                return;
            }
        }
    }

    private void Drain()
    {
        while (_queue.TryDequeue(out var logEvent))
        {
            try
            {
                _inner.Emit(logEvent);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
            {
                // As Serilog's own sinks do: a sink that fails must not take the program down; say so on SelfLog.
                SelfLog.WriteLine("Writing a log event failed: {0}", e);
            }

            Interlocked.Decrement(ref _count);
        }

        _room.Set();
    }
}
