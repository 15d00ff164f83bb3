using System.Buffers;
using Microsoft.Extensions.Logging;
using Parley.Epoll;
using Parley.Framing;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Echo;

/// <summary>
/// The echo service: every byte a client sends comes back unchanged and in order, read in chunks of at most
/// <see cref="EchoOptions.ChunkSize"/>, with the command lines <c>exit</c> and <c>stop</c> (line mode), or none
/// (raw mode, RFC 862), or as length-prefixed messages (framed mode).
/// </summary>
public sealed partial class EchoHandler : ITcpConnectionHandler
{
    // How many reads and writes in a row may complete without waiting before the connection lets others run.
    private const int YieldAfter = 8;

    // Framed mode reads at least this much at once (the pipe segment size it used before).
    private const int FramedReadSize = 4096;

    private readonly EchoOptions _options;
    private readonly ILogger _logger;
    private readonly FrameBudget? _budget;

    /// <summary>Creates the handler.</summary>
    public EchoHandler(EchoOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 1);
        _options = options;
        _logger = loggerFactory.CreateLogger("Parley.Echo");
        _budget = options.MaxBufferedBytes > 0 ? new FrameBudget(options.MaxBufferedBytes) : null;
    }

    /// <summary>Framed mode: the memory budget of unfinished messages, shared by all connections; null when there is none.</summary>
    internal FrameBudget? Budget => _budget;

    /// <inheritdoc />
    public string ServiceName => "echo";

    /// <inheritdoc />
    public string DescribeSettings() => _options.Mode switch
    {
        EchoMode.Framed => $"framed mode, messages up to {_options.MaxMessageBytes} bytes, each complete within "
            + $"{(_options.FrameTimeout is { } t ? Durations.Format(t) : "no limit")}, unfinished messages buffered up to "
            + $"{(_options.MaxBufferedBytes > 0 ? $"{_options.MaxBufferedBytes} bytes" : "no limit")} in all",
        EchoMode.Raw => $"raw mode (RFC 862, no commands), chunks of {_options.ChunkSize} bytes",
        _ => $"line mode (commands exit and stop), chunks of {_options.ChunkSize} bytes",
    };

    /// <inheritdoc />
    public Task HandleAsync(ServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _options.Mode == EchoMode.Framed ? EchoMessagesAsync(connection) : EchoBytesAsync(connection);
    }

    private async Task EchoBytesAsync(ServerConnection connection)
    {
        var stream = connection.Transport;
        var stopping = connection.Stopping;
        var raw = _options.Mode == EchoMode.Raw;
        var chunk = _options.ChunkSize;
        var detector = new LineCommandDetector(stopIsCommand: connection.MayStopServer);
        byte[]? buffer = null;
        var mayHaveMore = false;
        var withoutWaiting = 0;
        try
        {
            while (true)
            {
                int received;
                var readWaited = false;
                try
                {
                    if (!mayHaveMore)
                    {
                        // Wait for data before taking a buffer, so that an idle connection holds none.
                        Return(ref buffer);
                        var ready = stream.ReadAsync(Memory<byte>.Empty, stopping);
                        readWaited = !ready.IsCompleted;
                        await ready.ConfigureAwait(false);
                    }

                    buffer ??= ArrayPool<byte>.Shared.Rent(chunk + LineCommandDetector.MaxPending);
                    var read = stream.ReadAsync(buffer.AsMemory(LineCommandDetector.MaxPending, chunk), stopping);
                    // Waiting for data, here or in the zero-byte read above, is what lets the others run: a ping-pong
                    // client's connection waits there on every message (counting only this read, which then never
                    // waits, made every connection yield to the thread pool every 8 messages).
                    readWaited |= !read.IsCompleted;
                    received = await read.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    // Stopping: what the client typed of a possible command is still owed to it.
                    await FlushPendingAsync(connection, detector).ConfigureAwait(false);
                    return;
                }

                if (received == 0)
                {
                    // The client half-closed: send back what is still owed, then close.
                    connection.SetCloseReason(CloseReason.ClosedByClient);
                    await FlushPendingAsync(connection, detector).ConfigureAwait(false);
                    return;
                }

                // A full read means more is probably waiting: read again at once, keeping the buffer.
                mayHaveMore = received == chunk;
                connection.OnReceived(received);
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    EchoLog.DataReceived(_logger, connection.Id, received,
                        DataPreview.Of(buffer.AsSpan(LineCommandDetector.MaxPending, received)));
                }

                var echo = buffer.AsMemory(LineCommandDetector.MaxPending, received);
                var command = LineCommand.None;
                if (!raw)
                {
                    var scan = detector.Scan(buffer, received);
                    if (scan.StopRefused)
                    {
                        RequestStop(connection);
                    }

                    echo = buffer.AsMemory(scan.EchoStart, scan.EchoLength);
                    command = scan.Command;
                }

                var writeWaited = false;
                if (!echo.IsEmpty)
                {
                    var write = SendAsync(connection, echo);
                    writeWaited = !write.IsCompleted;
                    await write.ConfigureAwait(false);
                }

                if (command != LineCommand.None)
                {
                    RunCommand(connection, command);
                    return;
                }

                // Fairness: a connection whose reads and writes never wait (a client streaming as fast as the
                // server echoes) would otherwise keep the thread, and on one core starve every other client.
                withoutWaiting = readWaited || writeWaited ? 0 : withoutWaiting + 1;
                if (withoutWaiting >= YieldAfter)
                {
                    withoutWaiting = 0;
                    // On the epoll engine's thread: behind the events that loop has collected and everyone who yielded
                    // before, on the same thread. Elsewhere Task.Yield, which queues to the thread pool's global queue,
                    // behind every other connection (a forced-yield continuation can land in this worker's local queue
                    // and run again at once, which starved the others: one connection at 130 MiB/s, the rest near 1).
                    await default(EpollYield);
                }
            }
        }
        finally
        {
            Return(ref buffer);
        }
    }

    private static void Return(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private void RunCommand(ServerConnection connection, LineCommand command)
    {
        if (command == LineCommand.Exit)
        {
            EchoLog.ExitCommand(_logger, connection.Id);
            EchoMetrics.Exit();
            connection.SetCloseReason(CloseReason.ExitCommand);
        }
        else
        {
            EchoLog.StopCommand(_logger, connection.Id);
            RequestStop(connection);
        }
    }

    private static void RequestStop(ServerConnection connection) => EchoMetrics.Stop(accepted: connection.TryRequestServerStop());

    private async Task FlushPendingAsync(ServerConnection connection, LineCommandDetector detector)
    {
        if (detector.PendingCount == 0)
        {
            return;
        }

        var held = new byte[LineCommandDetector.MaxPending];
        var count = detector.Flush(held);
        await SendAsync(connection, held.AsMemory(0, count)).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(ServerConnection connection, ReadOnlyMemory<byte> data)
    {
        // No cancellation: what a client is owed is delivered even while stopping; a shutdown that takes too long
        // aborts the socket instead.
        await connection.Transport.WriteAsync(data).ConfigureAwait(false);
        connection.OnSent(data.Length);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            EchoLog.DataSent(_logger, connection.Id, data.Length);
        }
    }
}
