using System.Buffers;
using Microsoft.Extensions.Logging;
using Parley.Epoll;
using Parley.Framing;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Echo;

/// <summary>Framed mode: every length-prefixed message comes back as it came, within a time limit and a memory budget.</summary>
public sealed partial class EchoHandler
{
    private async Task EchoMessagesAsync(ServerConnection connection)
    {
        var stream = connection.Transport;
        var stopping = connection.Stopping;
        using var frames = new FrameReader(_options.MaxMessageBytes, Math.Max(_options.ChunkSize, FramedReadSize), _budget);
        var mayHaveMore = false;
        var withoutWaiting = 0;
        CancellationTokenSource? frameTimer = null; // cancels a read when a message has taken longer than its limit
        var frameStarted = false;
        try
        {
            while (true)
            {
                var readWaited = false;
                if (!mayHaveMore && frames.Buffered == 0)
                {
                    // Between messages and nothing waiting: wait for data without holding a buffer.
                    frames.Release();
                    try
                    {
                        var ready = stream.ReadAsync(Memory<byte>.Empty, stopping);
                        readWaited = !ready.IsCompleted;
                        await ready.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                }

                if (!frames.TryGetReadBuffer(out var room, out var refused))
                {
                    // The frame still arriving needs a larger buffer than the shared budget has left.
                    connection.OnReceived(frames.Buffered);
                    connection.SetCloseReason(CloseReason.LimitExceeded);
                    EchoLog.OverBudget(_logger, connection.Id, connection.RemoteEndPoint, refused, frames.DeclaredLength,
                        _budget!.InUse, _budget.MaxBytes);
                    return;
                }

                int received;
                try
                {
                    var read = stream.ReadAsync(room, frameStarted ? frameTimer!.Token : stopping);
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
                    connection.OnReceived(frames.Buffered);
                    connection.SetCloseReason(CloseReason.MessageTimeout);
                    EchoLog.MessageTimedOut(_logger, connection.Id, connection.RemoteEndPoint, Durations.Format(_options.FrameTimeout!.Value), frames.Buffered);
                    return;
                }

                mayHaveMore = received == room.Length;
                frames.Advance(received);
                var total = frames.Buffered;
                var first = frames.Offset;
                var command = LineCommand.None;
                var echoed = 0; // whole frames, from the first, that go back unchanged
                MessageProtocolException? error = null;
                try
                {
                    while (frames.TryReadFrame(out var payload))
                    {
                        LengthPrefixCodec.Validate(payload, frames.MaxMessageBytes);
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            EchoLog.MessageReceived(_logger, connection.Id, (int)payload.Length, DataPreview.Of(payload.FirstSpan));
                        }

                        command = AsCommand(payload);
                        if (command == LineCommand.Stop && !connection.MayStopServer)
                        {
                            RequestStop(connection);
                            command = LineCommand.None;
                        }

                        if (command != LineCommand.None)
                        {
                            break;
                        }

                        echoed = frames.Offset - first;
                        connection.MessagesReceived++;
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            EchoLog.MessageSent(_logger, connection.Id, (int)payload.Length);
                        }
                    }

                    if (command == LineCommand.None && received == 0)
                    {
                        frames.ThrowIfIncomplete();
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
                    using var writeTimer = frames.Reserved > 0 && _options.FrameTimeout is { } writeLimit ? new CancellationTokenSource(writeLimit) : null;
                    try
                    {
                        var write = stream.WriteAsync(frames.Slice(first, echoed), writeTimer?.Token ?? default);
                        writeWaited = !write.IsCompleted;
                        await write.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (writeTimer is { IsCancellationRequested: true })
                    {
                        connection.OnReceived(total);
                        connection.SetCloseReason(CloseReason.MessageTimeout);
                        EchoLog.EchoNotRead(_logger, connection.Id, connection.RemoteEndPoint, echoed, Durations.Format(_options.FrameTimeout!.Value), frames.Reserved);
                        return;
                    }

                    connection.OnSent(echoed);
                }

                if (error is not null)
                {
                    connection.OnReceived(total);
                    connection.SetCloseReason(CloseReason.ProtocolError);
                    EchoLog.ProtocolError(_logger, connection.Id, connection.RemoteEndPoint, error.Message);
                    return;
                }

                var consumed = frames.Offset - first;
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
                // begins whenever whole frames were taken off the front.
                if (consumed > 0 || total == received)
                {
                    frameStarted = StartFrameClock(ref frameTimer, frames.Buffered > 0, stopping);
                }

                withoutWaiting = readWaited || writeWaited ? 0 : withoutWaiting + 1;
                if (withoutWaiting >= YieldAfter)
                {
                    withoutWaiting = 0;
                    await default(EpollYield);
                }
            }
        }
        finally
        {
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
