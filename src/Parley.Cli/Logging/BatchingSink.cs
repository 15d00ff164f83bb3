using System.Collections.Concurrent;
using Parley.Hosting;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Parsing;

namespace Parley.Cli.Logging;

/// <summary>
/// Hands log events to one writer thread, so that the network code never waits on a log output: a console, a pipe
/// nobody reads or a slow disk. Events are batched by kind, not by level. Data events (<see cref="DataEvents"/>) are
/// queued without waking the writer, which takes them every <see cref="Period"/> or once <see cref="WakeAt"/> wait
/// (on one core a wake-up per event is a context switch per event); when <c>capacity</c> events already wait, a data
/// event is dropped and counted, and once the output catches up one warning says how many were not logged. Every other
/// event (start, listening, connected, disconnected, stop, warnings, errors) wakes the writer at once and is never
/// dropped, up to a last-resort bound of <see cref="Reserve"/> more that keeps memory bounded if the output is stuck
/// for good. <see cref="Emit"/> never blocks. Disposing writes everything still queued, waiting
/// as long as the output makes progress, then disposes the inner sink.
/// </summary>
internal sealed class BatchingSink : ILogEventSink, IDisposable
{
    private const int WakeAt = 1000;

    /// <summary>How many service messages may wait beyond the capacity before even they are dropped and counted.</summary>
    public const int Reserve = 20_000;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(2);
    private static readonly MessageTemplate DroppedTemplate =
        new MessageTemplateParser().Parse("{Dropped} data events were not logged: the log output did not keep up");
    private static readonly MessageTemplate DroppedServiceTemplate =
        new MessageTemplateParser().Parse("{Dropped} service messages were not logged: the log output has been stuck");

    private readonly ILogEventSink _inner;
    private readonly int _capacity;
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly Thread _writer;
    private int _count;
    private int _wakeRequested;
    private long _droppedData;
    private long _droppedService;
    private long _written;
    private volatile bool _stopping;
    private volatile bool _disposed;

    public BatchingSink(ILogEventSink inner, int capacity)
    {
        _inner = inner;
        _capacity = capacity;
        _writer = new Thread(Run) { IsBackground = true, Name = "parley log writer" };
        _writer.Start();
    }

    /// <summary>Data events dropped so far because the output did not keep up.</summary>
    public long DroppedDataEvents => Interlocked.Read(ref _droppedData);

    public void Emit(LogEvent logEvent)
    {
        var data = IsDataEvent(logEvent);
        if (_disposed)
        {
            // Logged after the program said its last word: counted, nothing else can be done with it.
            Interlocked.Increment(ref data ? ref _droppedData : ref _droppedService);
            return;
        }

        var limit = data ? _capacity : _capacity + Reserve;
        if (Volatile.Read(ref _count) >= limit)
        {
            Interlocked.Increment(ref data ? ref _droppedData : ref _droppedService);
            Wake();
            return;
        }

        _queue.Enqueue(logEvent);
        if (Interlocked.Increment(ref _count) >= WakeAt || !data)
        {
            Wake();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _work.Release();

        // Wait while the output makes progress; an output stuck for good (a pipe nobody reads) must not keep the
        // program from exiting, so give up once nothing has been written for StuckAfter.
        var written = Interlocked.Read(ref _written);
        while (!_writer.Join(StuckAfter))
        {
            var now = Interlocked.Read(ref _written);
            if (now == written)
            {
                _disposed = true;
                return;
            }

            written = now;
        }

        _disposed = true;
        (_inner as IDisposable)?.Dispose();
    }

    internal static bool IsDataEvent(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var value)
        && value is StructureValue structure
        && structure.Properties.Count > 0
        && structure.Properties[0] is { Name: "Id", Value: ScalarValue { Value: int id } }
        && DataEvents.Contains(id);

    private void Wake()
    {
        // A plain read first: under a flood the writer is already awake, and no interlocked write is needed.
        if (Volatile.Read(ref _wakeRequested) == 0 && Interlocked.Exchange(ref _wakeRequested, 1) == 0)
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
            Write(logEvent);
            Interlocked.Decrement(ref _count);
        }

        // Caught up: say once how many were left out, after what was kept, so the lines stay in order.
        ReportDropped(ref _droppedService, LogEventLevel.Error, DroppedServiceTemplate);
        ReportDropped(ref _droppedData, LogEventLevel.Warning, DroppedTemplate);
    }

    private void ReportDropped(ref long counter, LogEventLevel level, MessageTemplate template)
    {
        var dropped = Interlocked.Exchange(ref counter, 0);
        if (dropped > 0)
        {
            Write(new LogEvent(DateTimeOffset.Now, level, null, template, [new LogEventProperty("Dropped", new ScalarValue(dropped))]));
        }
    }

    private void Write(LogEvent logEvent)
    {
        try
        {
            _inner.Emit(logEvent);
        }
        catch (Exception e)
        {
            // As Serilog's own sinks do: an output that fails, for whatever reason, must not take the program down
            // (an exception escaping this thread would end the process); say so on SelfLog.
            SelfLog.WriteLine("Writing a log event failed: {0}", e);
        }

        Interlocked.Increment(ref _written);
    }
}
