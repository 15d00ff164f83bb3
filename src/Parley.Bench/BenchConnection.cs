using System.Diagnostics;
using Parley.Framing;
using Parley.Tcp;

namespace Parley.Bench;

/// <summary>
/// One connection of the load generator: sends its messages, reads the echo, checks every byte of it, and counts.
/// Counters are written by this connection's own loops and read by the generator at any time. With length framing
/// the echo is read as whole frames through <see cref="MessageSocket"/>: a frame is counted once all of it is back,
/// and a header over the message size ends the connection with the codec's own words.
/// </summary>
internal sealed class BenchConnection
{
    private readonly LoadGenerator _run;
    private readonly ClientConnection _connection;
    private readonly BenchMessages _sender;
    private readonly EchoVerifier _verifier;
    private readonly MessageSocket? _frames;
    private long _bytesSent;
    private long _bytesReceived;
    private long _messagesSent;
    private long _messagesEchoed;
    private long _mismatched;
    private long _unpublished; // received and checked by the reader, not yet added to _bytesReceived
    private int _writerDone;
    private string? _failure;

    public BenchConnection(LoadGenerator run, int index, ClientConnection connection)
    {
        _run = run;
        Index = index;
        _connection = connection;
        var options = run.Options;
        _sender = new BenchMessages(options.Framing, options.MessageSize, index);
        _verifier = new EchoVerifier(new BenchMessages(options.Framing, options.MessageSize, index));
        if (options.Framing == BenchFraming.Length)
        {
            _frames = (MessageSocket)connection.Socket;

            // The echo of a message is exactly as long as the message: a longer header is a broken echo, at once.
            _frames.MaxMessageBytes = options.MessageSize;
            _frames.ReadSize = options.Mode == BenchMode.Stream ? options.ReadChunkSize : _sender.WireLength;
        }
    }

    public int Index { get; }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    public long MessagesEchoed => Interlocked.Read(ref _messagesEchoed);

    public long Mismatched => Interlocked.Read(ref _mismatched);

    public long FirstMismatchAt => _verifier.FirstMismatchAt;

    /// <summary>Why this connection failed (lost, closed early, stalled), or <see langword="null"/>.</summary>
    public string? Failure => Volatile.Read(ref _failure);

    public Task RunAsync(CancellationToken abort)
    {
        // The generator must outrun the servers it measures: on Linux its connections run on the epoll engine too
        // (framed ones read through their MessageSocket, the one frame reader).
        if (_frames is null)
        {
            _connection.UseEpollEngine(abort);
        }

        return RunModeAsync(abort);
    }

    private Task RunModeAsync(CancellationToken abort) => _run.Options.Mode switch
    {
        BenchMode.Stream => StreamAsync(abort),
        BenchMode.Flood => FloodAsync(abort),
        BenchMode.Idle => IdleAsync(abort),
        _ => PingPongAsync(abort),
    };

    /// <summary>Closes the connection: an orderly close where possible.</summary>
    public async ValueTask CloseAsync()
    {
        try
        {
            _connection.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // Best effort: the server may already have closed or reset the connection.
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PingPongAsync(CancellationToken abort)
    {
        var buffer = _frames is null ? new byte[_sender.WireLength + 1] : [];
        while (_run.Phase < BenchPhase.Draining && await RoundTripAsync(buffer, abort).ConfigureAwait(false))
        {
        }
    }

    private async Task IdleAsync(CancellationToken abort)
    {
        // Hold the connection silent until the generator says the time is up, then prove it still echoes.
        await _run.WaitForPhaseAsync(BenchPhase.Draining, abort).ConfigureAwait(false);
        await RoundTripAsync(_frames is null ? new byte[_sender.WireLength + 1] : [], abort).ConfigureAwait(false);
    }

    /// <summary>Sends one message and waits for all of its echo; false when the connection is done for.</summary>
    private async ValueTask<bool> RoundTripAsync(byte[] buffer, CancellationToken abort)
    {
        var stream = _connection.Stream;
        var message = _sender.Next();
        var got = 0;
        try
        {
            var start = Stopwatch.GetTimestamp();
            await stream.WriteAsync(message, abort).ConfigureAwait(false);
            Interlocked.Add(ref _bytesSent, message.Length);
            Interlocked.Increment(ref _messagesSent);
            long elapsed;
            if (_frames is not null)
            {
                if (await _frames.ReceiveFrameAsync(abort).ConfigureAwait(false) is not { } payload)
                {
                    Fail($"the server closed the connection with {message.Length} bytes of a message still to echo");
                    return false;
                }

                elapsed = Stopwatch.GetTimestamp() - start;
                ReceivedFrame(payload.Span);
            }
            else
            {
                // Wait for the echo before reading it: on the epoll engine that costs no system call, and the read
                // then finds the data. Each read asks for one byte more than is owed, so that it empties the socket
                // (the engine then knows the next wait needs no system call either) and a server that sends more than
                // it was sent is caught.
                await stream.ReadAsync(Memory<byte>.Empty, abort).ConfigureAwait(false);
                while (got < message.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(got, message.Length - got + 1), abort).ConfigureAwait(false);
                    if (n == 0)
                    {
                        Received(buffer.AsSpan(0, got));
                        Fail($"the server closed the connection with {message.Length - got} bytes of a message still to echo");
                        return false;
                    }

                    got += n;
                }

                elapsed = Stopwatch.GetTimestamp() - start;
                Received(buffer.AsSpan(0, got));
                if (got > message.Length)
                {
                    Fail("the server sent more than it was sent");
                    return false;
                }
            }

            if (_run.Phase == BenchPhase.Measuring)
            {
                _run.RecordLatency(elapsed);
            }

            return true;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Received(buffer.AsSpan(0, got));
            if (_run.DrainTimedOut)
            {
                Fail($"stalled: {message.Length - got} bytes of a message were not echoed within the drain timeout");
            }

            return false;
        }
        catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
        {
            Received(buffer.AsSpan(0, got));
            Fail($"the connection was lost: {e.Message}");
            return false;
        }
        catch (MessageProtocolException e)
        {
            Fail($"the echo broke the framing: {e.Message}");
            return false;
        }
        finally
        {
            Publish();
        }
    }

    private async Task StreamAsync(CancellationToken abort)
    {
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var reading = ReadEchoesAsync(stopReading.Token, abort);
        try
        {
            await WriteUntilDrainAsync(abort).ConfigureAwait(false);

            // Nothing more will come: a server that honours the half-close echoes the rest and closes. The reader
            // must know before the server can answer the half-close, or that close looks premature.
            Interlocked.Exchange(ref _writerDone, 1);
            await _connection.ShutdownSendAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Interrupted, or stalled past the drain timeout: the reader reports what is missing.
        }
        catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
        {
            Fail($"the connection was lost while sending: {e.Message}");
        }

        // Stop the reader as soon as it has everything. Either it sees the flag after its last read, or this sees its
        // count: both sides write before they read, with full fences (Interlocked), so one of them notices.
        Interlocked.Exchange(ref _writerDone, 1);
        if (Interlocked.Read(ref _bytesReceived) >= Interlocked.Read(ref _bytesSent))
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
        }

        await reading.ConfigureAwait(false);
    }

    private async Task WriteUntilDrainAsync(CancellationToken abort)
    {
        var stream = _connection.Stream;
        var withoutWaiting = 0;
        while (_run.Phase < BenchPhase.Draining)
        {
            var message = _sender.Next();
            var write = stream.WriteAsync(message, abort);
            withoutWaiting = write.IsCompleted ? withoutWaiting + 1 : 0;
            await write.ConfigureAwait(false);
            Interlocked.Add(ref _bytesSent, message.Length);
            Interlocked.Increment(ref _messagesSent);
            await YieldNowAndThenAsync(ref withoutWaiting).ConfigureAwait(false);
        }
    }

    private async Task ReadEchoesAsync(CancellationToken stop, CancellationToken abort)
    {
        var buffer = _frames is null ? new byte[_run.Options.ReadChunkSize] : [];
        var withoutWaiting = 0;
        try
        {
            while (true)
            {
                // Count what came before asking the socket for more, and stop once everything is back (see StreamAsync).
                Publish();
                if (Volatile.Read(ref _writerDone) == 1 && BytesReceived >= BytesSent)
                {
                    return;
                }

                await YieldNowAndThenAsync(ref withoutWaiting).ConfigureAwait(false);
                var read = ReadEchoAsync(buffer, stop);
                withoutWaiting = read.IsCompleted ? withoutWaiting + 1 : 0;
                if (!await read.ConfigureAwait(false))
                {
                    Publish();
                    var owed = BytesSent - BytesReceived;
                    if (owed > 0 || Volatile.Read(ref _writerDone) == 0)
                    {
                        Fail($"the server closed the connection with {Math.Max(owed, 0)} bytes still to echo");
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Publish();
            if (abort.IsCancellationRequested && _run.DrainTimedOut && BytesReceived < BytesSent)
            {
                Fail($"stalled: {BytesSent - BytesReceived} bytes were not echoed within the drain timeout");
            }
        }
        catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
        {
            Fail($"the connection was lost: {e.Message}");
        }
        catch (MessageProtocolException e)
        {
            Fail($"the echo broke the framing: {e.Message}");
        }
        finally
        {
            Publish();
        }
    }

    /// <summary>
    /// Reads what one read from the socket brings, checks it and keeps count of it (see <see cref="Publish"/>): a chunk
    /// of lines, or every whole frame it completes. False when the server closed the connection.
    /// </summary>
    private async ValueTask<bool> ReadEchoAsync(byte[] buffer, CancellationToken stop)
    {
        if (_frames is null)
        {
            var n = await _connection.Stream.ReadAsync(buffer, stop).ConfigureAwait(false);
            Received(buffer.AsSpan(0, n));
            return n > 0;
        }

        if (await _frames.ReceiveFrameAsync(stop).ConfigureAwait(false) is not { } payload)
        {
            return false;
        }

        ReceivedFrame(payload.Span);
        while (_frames.TryTakeFrame(out var next))
        {
            ReceivedFrame(next.Span);
        }

        return true;
    }

    private async Task FloodAsync(CancellationToken abort)
    {
        // Send and never read: the server decides how much it takes. Stop when the time is up, even mid-write.
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var waiting = _run.WaitForPhaseAsync(BenchPhase.Draining, abort)
            .ContinueWith(_ => timeUp.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await WriteUntilDrainAsync(timeUp.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeUp.IsCancellationRequested)
        {
            // Time is up.
        }
        catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
        {
            Fail($"the connection was lost while sending: {e.Message}");
        }

        await waiting.ConfigureAwait(false);
    }

    /// <summary>
    /// The load generator must not be unfair itself: a loop whose reads or writes keep completing without waiting
    /// lets the other connections run every few turns.
    /// </summary>
    private static ValueTask YieldNowAndThenAsync(ref int withoutWaiting)
    {
        if (withoutWaiting < 8)
        {
            return ValueTask.CompletedTask;
        }

        withoutWaiting = 0;
        return YieldAsync();

        // Task.Yield queues to the thread pool's global queue, behind everyone else (a forced-yield continuation may
        // land in the current worker's local queue and run again at once, which is no yield at all).
        static async ValueTask YieldAsync() => await Task.Yield();
    }

    private void Received(ReadOnlySpan<byte> data)
    {
        _verifier.Check(data);
        _unpublished += data.Length;
    }

    private void ReceivedFrame(ReadOnlySpan<byte> payload)
    {
        _verifier.CheckFrame(payload);
        _unpublished += LengthPrefixCodec.HeaderLength + payload.Length;
    }

    /// <summary>
    /// Makes the bytes received and checked so far visible to the generator and the writer: once per read from the
    /// socket, not once per frame, which would cost the reader a fence (and the writer its cache line) per message.
    /// </summary>
    private void Publish()
    {
        if (_unpublished == 0)
        {
            return;
        }

        Interlocked.Add(ref _bytesReceived, _unpublished);
        _unpublished = 0;
        Volatile.Write(ref _messagesEchoed, _verifier.Messages);
        Volatile.Write(ref _mismatched, _verifier.Mismatched);
    }

    private void Fail(string why) => Interlocked.CompareExchange(ref _failure, why, null);
}
