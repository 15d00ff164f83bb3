using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Framing;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Echo;

/// <summary>
/// The echo client: sends each line of its input to the server (as a line, or as one message in framed mode) and
/// copies what comes back to its output, byte for byte. Its own service messages go to the logger.
/// </summary>
public static class EchoClient
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Runs one session until the user sends <c>exit</c> or <c>stop</c>, the input ends and every echo has arrived,
    /// or the server goes away.
    /// </summary>
    /// <exception cref="OutputException">Writing to <paramref name="output"/> failed.</exception>
    public static async Task<EchoClientResult> RunAsync(
        ClientConnection connection, TextReader input, Stream output, EchoMode mode, ILogger logger,
        int maxMessageBytes = LengthPrefixCodec.DefaultMaxMessageBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(logger);
        await using var session = new Session(connection, input, output, mode, logger, maxMessageBytes, cancellationToken);
        var outcome = await session.RunAsync().ConfigureAwait(false);
        var result = new EchoClientResult(outcome, session.Sent, session.Returned, mode == EchoMode.Framed ? "messages" : "bytes");
        if (result.Succeeded)
        {
            EchoLog.ClientDisconnected(logger, HostPort.Format(connection.Host, connection.Port), result.Describe());
        }

        return result;
    }

    private sealed class Session(
        ClientConnection connection, TextReader input, Stream output, EchoMode mode, ILogger logger, int maxMessageBytes,
        CancellationToken cancellationToken) : IAsyncDisposable
    {
        private readonly MessageStream? _messages = mode == EchoMode.Framed ? new MessageStream(connection.Stream, maxMessageBytes) : null;
        private volatile int _command; // a LineCommand, once sent
        private string? _commandLine; // the line that carried it
        private readonly byte[] _tail = new byte[8]; // the last bytes received (line mode)
        private int _tailLength;
        private string? _lastMessage; // the last message received (framed mode)
        private volatile bool _inputEnded;
        private long _sent;
        private long _returned;

        public long Sent => Interlocked.Read(ref _sent);

        public long Returned => Interlocked.Read(ref _returned);

        public async Task<EchoClientOutcome> RunAsync()
        {
            var receive = mode == EchoMode.Framed ? ReceiveMessagesAsync() : ReceiveBytesAsync();
            var send = SendAsync();
            var first = await Task.WhenAny(send, receive).ConfigureAwait(false);
            if (first == receive)
            {
                // The input may be blocked on a terminal that cannot be interrupted: leave it, but observe it.
                _ = send.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                try
                {
                    await send.ConfigureAwait(false);
                }
                catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
                {
                    _ = receive.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    return EchoClientOutcome.ConnectionLost;
                }
            }

            try
            {
                await receive.ConfigureAwait(false);
            }
            catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
            {
                return EchoClientOutcome.ConnectionLost;
            }

            return (LineCommand)_command switch
            {
                LineCommand.Exit => EchoClientOutcome.Exited,
                LineCommand.Stop when StopCameBack() => EchoClientOutcome.StopRefused,
                LineCommand.Stop => EchoClientOutcome.Stopped,
                _ when !_inputEnded => EchoClientOutcome.ServerClosed,
                _ => Returned < Sent ? EchoClientOutcome.Incomplete : EchoClientOutcome.InputEnded,
            };
        }

        private async Task SendAsync()
        {
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var command = mode == EchoMode.Raw ? LineCommand.None : AsCommand(line);
                if (command != LineCommand.None)
                {
                    _commandLine = line;
                    _command = (int)command;
                }

                if (_messages is not null)
                {
                    await _messages.SendMessageAsync(line, cancellationToken).ConfigureAwait(false);
                    EchoLog.ClientMessageSent(logger, Utf8.GetByteCount(line));
                    Interlocked.Add(ref _sent, command == LineCommand.None ? 1 : 0);
                }
                else
                {
                    var bytes = Utf8.GetBytes(line + "\n");
                    await connection.Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    EchoLog.ClientSent(logger, bytes.Length);
                    Interlocked.Add(ref _sent, command == LineCommand.None ? bytes.Length : 0);
                }

                if (command != LineCommand.None)
                {
                    break;
                }
            }

            // Nothing more to send: say so, and let every echo still on its way arrive.
            _inputEnded = true;
            await connection.ShutdownSendAsync().ConfigureAwait(false);
        }

        private async Task ReceiveBytesAsync()
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var received = await connection.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    return;
                }

                await WriteOutputAsync(buffer.AsMemory(0, received)).ConfigureAwait(false);
                KeepTail(buffer.AsSpan(0, received));
                Interlocked.Add(ref _returned, received);
                EchoLog.ClientReceived(logger, received);
            }
        }

        private async Task ReceiveMessagesAsync()
        {
            while (await _messages!.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false) is { } message)
            {
                var bytes = Utf8.GetBytes(message + "\n");
                await WriteOutputAsync(bytes).ConfigureAwait(false);
                _lastMessage = message;
                Interlocked.Increment(ref _returned);
                EchoLog.ClientMessageReceived(logger, bytes.Length - 1);
            }
        }

        /// <summary>Writes what came back to the output; a failure there (a closed pipe) is not the connection's.</summary>
        private async Task WriteOutputAsync(ReadOnlyMemory<byte> bytes)
        {
            try
            {
                await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        /// <summary>
        /// Whether the server echoed the stop line back, as a server that refuses <c>stop</c> does: it owes nothing for
        /// the line when it stops, so what came back is everything sent and then exactly that line.
        /// </summary>
        private bool StopCameBack()
        {
            if (_messages is not null)
            {
                return Returned == Sent + 1 && _lastMessage == _commandLine;
            }

            var line = Utf8.GetBytes(_commandLine + "\n");
            return Returned == Sent + line.Length && _tail.AsSpan(0, _tailLength).EndsWith(line);
        }

        private void KeepTail(ReadOnlySpan<byte> received)
        {
            var keep = Math.Min(_tailLength, _tail.Length - Math.Min(received.Length, _tail.Length));
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            var take = received[^Math.Min(received.Length, _tail.Length - keep)..];
            take.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + take.Length;
        }

        public ValueTask DisposeAsync() => _messages?.DisposeAsync() ?? ValueTask.CompletedTask;

        private static LineCommand AsCommand(string line) =>
            line.Equals("exit", StringComparison.OrdinalIgnoreCase) ? LineCommand.Exit
            : line.Equals("stop", StringComparison.OrdinalIgnoreCase) ? LineCommand.Stop
            : LineCommand.None;
    }
}
