using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Parley.Diagnostics;
using Parley.Framing;
using Parley.Tcp;

namespace Parley.Echo;

/// <summary>
/// The echo service: every byte a client sends comes back unchanged and in order, read in chunks of at most
/// <see cref="EchoOptions.ChunkSize"/>, with the command lines <c>exit</c> and <c>stop</c> (line mode), or none
/// (raw mode, RFC 862), or as length-prefixed messages (framed mode).
/// </summary>
public sealed class EchoHandler : ITcpConnectionHandler
{
    // How many reads and writes in a row may complete without waiting before the connection lets others run.
    private const int YieldAfter = 8;

    // Framed mode reads at least this much at once (the pipe segment size it used before).
    private const int FramedReadSize = 4096;

    private readonly EchoOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public EchoHandler(EchoOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkSize, 1);
        _options = options;
        _logger = loggerFactory.CreateLogger("Parley.Echo");
    }

    /// <inheritdoc />
    public string ServiceName => "echo";

    /// <inheritdoc />
    public string DescribeSettings() => _options.Mode switch
    {
        EchoMode.Framed => $"framed mode, messages up to {_options.MaxMessageBytes} bytes",
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
                bool readWaited;
                try
                {
                    if (!mayHaveMore)
                    {
                        // Wait for data before taking a buffer, so that an idle connection holds none.
                        Return(ref buffer);
                        await stream.ReadAsync(Memory<byte>.Empty, stopping).ConfigureAwait(false);
                    }

                    buffer ??= ArrayPool<byte>.Shared.Rent(chunk + LineCommandDetector.MaxPending);
                    var read = stream.ReadAsync(buffer.AsMemory(LineCommandDetector.MaxPending, chunk), stopping);
                    readWaited = !read.IsCompleted;
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
                        connection.TryRequestServerStop();
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
                    // Task.Yield queues to the thread pool's global queue, behind every other connection; a
                    // forced-yield continuation can land in this worker's local queue and run again at once, which
                    // starved the others (measured: one connection at 130 MiB/s, the rest near 1).
                    await Task.Yield();
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

    private async Task EchoMessagesAsync(ServerConnection connection)
    {
        var max = _options.MaxMessageBytes;
        var stream = connection.Transport;
        var stopping = connection.Stopping;
        var readSize = Math.Max(_options.ChunkSize, FramedReadSize);
        byte[]? buffer = null;
        var held = 0; // bytes of a frame not yet complete, at the start of the buffer
        var mayHaveMore = false;
        var withoutWaiting = 0;
        try
        {
            while (true)
            {
                int received;
                bool readWaited;
                try
                {
                    if (!mayHaveMore && held == 0)
                    {
                        // Between messages and nothing waiting: wait for data without holding a buffer.
                        Return(ref buffer);
                        await stream.ReadAsync(Memory<byte>.Empty, stopping).ConfigureAwait(false);
                    }

                    buffer ??= ArrayPool<byte>.Shared.Rent(readSize);
                    var read = stream.ReadAsync(buffer.AsMemory(held), stopping);
                    readWaited = !read.IsCompleted;
                    received = await read.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }

                var total = held + received;
                mayHaveMore = total == buffer.Length;
                var input = new ReadOnlySequence<byte>(buffer, 0, total);
                var command = LineCommand.None;
                var echoed = 0L; // whole frames, from the start of the buffer, that go back unchanged
                MessageProtocolException? error = null;
                try
                {
                    while (LengthPrefixCodec.TryReadFrame(ref input, max, out var payload))
                    {
                        LengthPrefixCodec.Validate(payload, max);
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            EchoLog.MessageReceived(_logger, connection.Id, (int)payload.Length, DataPreview.Of(payload.FirstSpan));
                        }

                        command = AsCommand(payload);
                        if (command == LineCommand.Stop && !connection.MayStopServer)
                        {
                            connection.TryRequestServerStop();
                            command = LineCommand.None;
                        }

                        if (command != LineCommand.None)
                        {
                            break;
                        }

                        echoed = total - input.Length;
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            EchoLog.MessageSent(_logger, connection.Id, (int)payload.Length);
                        }
                    }

                    if (command == LineCommand.None && received == 0)
                    {
                        LengthPrefixCodec.ThrowIfIncomplete(input, max);
                        connection.SetCloseReason(CloseReason.ClosedByClient);
                    }
                }
                catch (MessageProtocolException e)
                {
                    error = e;
                }

                // An echoed frame is the received frame, byte for byte: send it straight from the read buffer. What
                // the client is owed is delivered even while stopping (no cancellation), as in line mode.
                var writeWaited = false;
                if (echoed > 0)
                {
                    var write = stream.WriteAsync(buffer.AsMemory(0, (int)echoed));
                    writeWaited = !write.IsCompleted;
                    await write.ConfigureAwait(false);
                    connection.OnSent((int)echoed);
                }

                if (error is not null)
                {
                    connection.OnReceived(total);
                    connection.SetCloseReason(CloseReason.ProtocolError);
                    EchoLog.ProtocolError(_logger, connection.Id, connection.RemoteEndPoint, error.Message);
                    return;
                }

                var consumed = (int)(total - input.Length);
                connection.OnReceived(consumed);
                if (command != LineCommand.None)
                {
                    RunCommand(connection, command);
                    return;
                }

                if (received == 0)
                {
                    return;
                }

                held = total - consumed;
                buffer = KeepIncompleteFrame(buffer, consumed, held);
                withoutWaiting = readWaited || writeWaited ? 0 : withoutWaiting + 1;
                if (withoutWaiting >= YieldAfter)
                {
                    withoutWaiting = 0;
                    await Task.Yield();
                }
            }
        }
        finally
        {
            Return(ref buffer);
        }
    }

    /// <summary>
    /// Moves the start of an incomplete frame to the front of the buffer, in a larger buffer when its header declares
    /// more than fits (the codec has already refused any length over the maximum).
    /// </summary>
    private static byte[] KeepIncompleteFrame(byte[] buffer, int consumed, int held)
    {
        var needed = held >= LengthPrefixCodec.HeaderLength
            ? LengthPrefixCodec.HeaderLength + (int)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(consumed))
            : LengthPrefixCodec.HeaderLength;
        if (needed <= buffer.Length)
        {
            buffer.AsSpan(consumed, held).CopyTo(buffer);
            return buffer;
        }

        var larger = ArrayPool<byte>.Shared.Rent(needed);
        buffer.AsSpan(consumed, held).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private void RunCommand(ServerConnection connection, LineCommand command)
    {
        if (command == LineCommand.Exit)
        {
            EchoLog.ExitCommand(_logger, connection.Id);
            connection.SetCloseReason(CloseReason.ExitCommand);
        }
        else
        {
            EchoLog.StopCommand(_logger, connection.Id);
            connection.TryRequestServerStop();
        }
    }

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

    private static LineCommand AsCommand(in ReadOnlySequence<byte> payload)
    {
        if (payload.Length != 4)
        {
            return LineCommand.None;
        }

        Span<byte> word = stackalloc byte[4];
        payload.CopyTo(word);
        var folded = (uint)(word[0] | 0x20) << 24 | (uint)(word[1] | 0x20) << 16 | (uint)(word[2] | 0x20) << 8 | (uint)(word[3] | 0x20);
        return folded switch
        {
            0x65786974 => LineCommand.Exit, // "exit"
            0x73746f70 => LineCommand.Stop, // "stop"
            _ => LineCommand.None,
        };
    }
}
