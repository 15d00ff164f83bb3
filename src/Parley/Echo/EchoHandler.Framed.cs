using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Parley.Framing;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Echo;

/// <summary>Framed mode: every length-prefixed message comes back as it came, within a time limit and a memory budget.</summary>
public sealed partial class EchoHandler
{
    private async Task EchoMessagesAsync(ServerConnection connection)
    {
        var max = _options.MaxMessageBytes;
        var stream = connection.Transport;
        var stopping = connection.Stopping;
        var readSize = Math.Max(_options.ChunkSize, FramedReadSize);
        byte[]? buffer = null;
        var reserved = 0; // bytes of the budget this connection holds: the length of a buffer grown for a large message
        var held = 0; // bytes of a frame not yet complete, at the start of the buffer
        var mayHaveMore = false;
        var withoutWaiting = 0;
        CancellationTokenSource? frameTimer = null; // cancels a read when a message has taken longer than its limit
        var frameStarted = false;
        try
        {
            while (true)
            {
                int received;
                var readWaited = false;
                try
                {
                    if (!mayHaveMore && held == 0)
                    {
                        // Between messages and nothing waiting: wait for data without holding a buffer.
                        Return(ref buffer);
                        Release(ref reserved);
                        var ready = stream.ReadAsync(Memory<byte>.Empty, stopping);
                        readWaited = !ready.IsCompleted;
                        await ready.ConfigureAwait(false);
                    }

                    buffer ??= ArrayPool<byte>.Shared.Rent(readSize);
                    var read = stream.ReadAsync(buffer.AsMemory(held), frameStarted ? frameTimer!.Token : stopping);
                    // As in line mode: a wait in either read counts.
                    readWaited |= !read.IsCompleted;
                    received = await read.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (OperationCanceledException) when (frameStarted)
                {
                    connection.OnReceived(held);
                    connection.SetCloseReason(CloseReason.MessageTimeout);
                    EchoLog.MessageTimedOut(_logger, connection.Id, connection.RemoteEndPoint, Durations.Format(_options.FrameTimeout!.Value), held);
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
                    // A large message holds part of the shared budget until it has gone back: a client that does not
                    // read its echo must not hold it for ever (it would shut others out), so that write has the same
                    // time limit as the message had to arrive. Ordinary small messages hold no budget and no limit.
                    using var writeTimer = reserved > 0 && _options.FrameTimeout is { } writeLimit ? new CancellationTokenSource(writeLimit) : null;
                    try
                    {
                        var write = stream.WriteAsync(buffer.AsMemory(0, (int)echoed), writeTimer?.Token ?? default);
                        writeWaited = !write.IsCompleted;
                        await write.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (writeTimer is { IsCancellationRequested: true })
                    {
                        connection.OnReceived(total);
                        connection.SetCloseReason(CloseReason.MessageTimeout);
                        EchoLog.EchoNotRead(_logger, connection.Id, connection.RemoteEndPoint, echoed, Durations.Format(_options.FrameTimeout!.Value), reserved);
                        return;
                    }

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

                // A message that completed ends its clock; the one left unfinished (if any) starts one: a new frame
                // begins at 'consumed' whenever whole frames were taken off the front.
                if (consumed > 0 || held == 0)
                {
                    frameStarted = StartFrameClock(ref frameTimer, total > consumed, stopping);
                }

                held = total - consumed;
                if (!TryKeepIncompleteFrame(connection, ref buffer, ref reserved, consumed, held, readSize))
                {
                    return;
                }

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
            Release(ref reserved);
            frameTimer?.Dispose();
        }
    }

    /// <summary>
    /// Starts the clock of a message that has begun to arrive (<paramref name="unfinished"/>), or stops the last one.
    /// Returns whether a clock runs. Without a frame timeout, none ever does.
    /// </summary>
    private bool StartFrameClock(ref CancellationTokenSource? timer, bool unfinished, CancellationToken stopping)
    {
        if (_options.FrameTimeout is not { } limit)
        {
            return false;
        }

        if (timer is not null && !timer.TryReset())
        {
            timer.Dispose();
            timer = null;
        }

        if (!unfinished)
        {
            return false;
        }

        timer ??= CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timer.CancelAfter(limit);
        return true;
    }

    /// <summary>
    /// Moves the start of an incomplete frame to the front of the buffer, growing the buffer while its header declares
    /// more than fits (the codec has already refused any length over the maximum): doubling, not to the declared size
    /// at once, so that a header that lies costs its sender what it actually sent. Grown buffers are reserved from the
    /// budget; a connection that cannot reserve is closed, with the reason logged.
    /// </summary>
    private bool TryKeepIncompleteFrame(ServerConnection connection, ref byte[] buffer, ref int reserved, int consumed, int held, int readSize)
    {
        var needed = held >= LengthPrefixCodec.HeaderLength
            ? LengthPrefixCodec.HeaderLength + (long)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(consumed))
            : LengthPrefixCodec.HeaderLength;
        if (needed <= buffer.Length || buffer.Length - held >= readSize)
        {
            buffer.AsSpan(consumed, held).CopyTo(buffer);
            return true;
        }

        var size = (int)Math.Min(needed, Math.Max(buffer.Length * 2L, held + (long)readSize));
        var larger = ArrayPool<byte>.Shared.Rent(size);
        if (_budget is { } budget && !budget.TryReserve(larger.Length - reserved))
        {
            ArrayPool<byte>.Shared.Return(larger);
            connection.OnReceived(held);
            connection.SetCloseReason(CloseReason.LimitExceeded);
            EchoLog.OverBudget(_logger, connection.Id, connection.RemoteEndPoint, larger.Length - reserved,
                needed - LengthPrefixCodec.HeaderLength, budget.InUse, budget.MaxBytes);
            return false;
        }

        buffer.AsSpan(consumed, held).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
        reserved = _budget is null ? 0 : larger.Length;
        return true;
    }

    private void Release(ref int reserved)
    {
        if (reserved > 0)
        {
            _budget!.Release(reserved);
            reserved = 0;
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
