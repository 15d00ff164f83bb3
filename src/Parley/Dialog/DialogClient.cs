using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Framing;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Dialog;

/// <summary>
/// The client side of the dialog protocol: checks the server's <c>hello</c>, resumes a session when it holds a token,
/// shows the server's texts, answers its questions, and once the server says <c>ready</c> sends each line the user
/// types as a <c>message</c> (<c>logout</c> as the logout request with the authentication service). Its own service
/// messages go to the logger; nothing secret is logged.
/// </summary>
public static class DialogClient
{
    /// <summary>Runs one conversation until the server closes the connection.</summary>
    /// <exception cref="DialogClientException">The server is not the expected dialog server, or broke the protocol.</exception>
    /// <exception cref="OutputException">Showing a message to <paramref name="user"/> failed.</exception>
    public static async Task<DialogClientResult> RunAsync(
        ClientConnection connection, IDialogUser user, DialogClientOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var session = new Session(connection, user, options, logger, cancellationToken);
        await using (session.ConfigureAwait(false))
        {
            var result = await session.RunAsync().ConfigureAwait(false);
            DialogLog.ClientDisconnected(logger, HostPort.Format(connection.Host, connection.Port), Describe(result.Outcome));
            return result;
        }
    }

    /// <summary>The outcome in words, for the user.</summary>
    internal static string Describe(DialogClientOutcome outcome) => outcome switch
    {
        DialogClientOutcome.Exited => "exit sent, the server closed the connection",
        DialogClientOutcome.Stopped => "stop sent, the server closed the connection",
        DialogClientOutcome.StopRefused => StopCommand.RefusedText,
        DialogClientOutcome.LoggedOut => "logged out, the server closed the connection",
        DialogClientOutcome.InputEnded => "end of input, every reply received",
        DialogClientOutcome.Dismissed => "the server ended the conversation",
        DialogClientOutcome.AbandonedAtQuestion => "the input ended before the server's question was answered",
        DialogClientOutcome.ServerClosed => "the server closed the connection",
        _ => "the connection was lost (reset or broken)",
    };

    private sealed class Session(
        ClientConnection connection, IDialogUser user, DialogClientOptions options, ILogger logger, CancellationToken cancellationToken)
        : IAsyncDisposable
    {
        private readonly MessageStream _messages = new(connection.Stream, DialogProtocol.MaxServerMessageBytes);
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly string _target = HostPort.Format(connection.Host, connection.Port);
        private bool _resumePending;
        private volatile string? _command;
        private volatile bool _inputEnded;
        private bool _stopEchoed;
        private bool _abandoned;
        private string? _bye;
        private DialogMessage? _lastError;
        private Task? _sender;

        public async Task<DialogClientResult> RunAsync()
        {
            var hello = await ReceiveHelloAsync().ConfigureAwait(false);
            var resume = options.ResumeTokenFor is { } choose ? choose(hello) : options.ResumeToken;
            if (resume is { Length: > 0 } token)
            {
                _resumePending = true;
                await SendAsync(DialogMessage.Resume(token)).ConfigureAwait(false);
            }

            try
            {
                while (await ReceiveAsync().ConfigureAwait(false) is { } message)
                {
                    await HandleAsync(message).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is IOException)
            {
                if (_bye is null)
                {
                    Observe(_sender);
                    return new DialogClientResult(DialogClientOutcome.ConnectionLost, null, _lastError);
                }
            }

            // The sender may be blocked on a terminal that cannot be interrupted: leave it, but observe it.
            Observe(_sender);
            return new DialogClientResult(Outcome(), _bye, _lastError);
        }

        public async ValueTask DisposeAsync()
        {
            // A send may still be under way: the user typed exit just as the server said bye, and the conversation
            // ended before the sender's flush did. Completing the pipe's writer under that flush returned its buffer
            // twice and crashed the client (CI, 2026-12-06). Wait for the send, briefly; one stuck longer than that is
            // left to fail with the connection, and its writer to the garbage collector.
            if (!await _writeLock.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                await _messages.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        private DialogClientOutcome Outcome() => _command switch
        {
            "exit" => DialogClientOutcome.Exited,
            "stop" when _stopEchoed => DialogClientOutcome.StopRefused,
            "stop" => DialogClientOutcome.Stopped,
            DialogTypes.Logout => DialogClientOutcome.LoggedOut,
            _ when _abandoned => DialogClientOutcome.AbandonedAtQuestion,
            _ when _bye is not null && _inputEnded => DialogClientOutcome.InputEnded,
            _ when _bye is not null => DialogClientOutcome.Dismissed,
            _ => DialogClientOutcome.ServerClosed,
        };

        /// <summary>Shows <paramref name="message"/> to the user; a failure there (a closed pipe) is not the connection's.</summary>
        private async ValueTask ShowAsync(DialogMessage message)
        {
            try
            {
                await user.ShowAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        private async Task<DialogMessage> ReceiveHelloAsync()
        {
            var service = options.Service;
            string? json;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.HelloTimeout);
                try
                {
                    json = await _messages.ReceiveMessageAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DialogClientException(
                        $"no hello from {_target} within {Durations.Format(options.HelloTimeout)}: is it a Parley {service} server?");
                }
                catch (MessageProtocolException e)
                {
                    throw new DialogClientException($"{_target} does not speak the dialog protocol ({e.Message}): is it a Parley {service} server?", e);
                }
            }

            if (json is null)
            {
                throw new DialogClientException($"{_target} closed the connection without a hello: is it a Parley {service} server?");
            }

            if (!DialogCodec.TryParse(json, out var hello, out _) || !hello.Is(DialogTypes.Hello))
            {
                throw new DialogClientException($"{_target} did not greet with a dialog hello: is it a Parley {service} server?");
            }

            DialogLog.ClientReceived(logger, Shared.TerminalText.Escape(hello.Type!), LengthPrefixCodec.FrameLength(json));
            if (!string.Equals(hello.Service, service, StringComparison.Ordinal))
            {
                throw new DialogClientException(
                    $"{_target} is a Parley '{hello.Service}' server, not '{service}': use parley client {hello.Service}");
            }

            if (hello.Version is not { } version || version < 1)
            {
                throw new DialogClientException($"{_target} sent a hello without a valid protocol version");
            }

            if (version > DialogProtocol.Version)
            {
                DialogLog.NewerProtocol(logger, version, DialogProtocol.Version);
            }

            return hello;
        }

        private async Task<DialogMessage?> ReceiveAsync()
        {
            while (true)
            {
                string? json;
                try
                {
                    json = await _messages.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (MessageProtocolException e)
                {
                    throw new DialogClientException($"{_target} broke the message framing: {e.Message}", e);
                }

                if (json is null)
                {
                    return null;
                }

                if (DialogCodec.TryParse(json, out var message, out _))
                {
                    DialogLog.ClientReceived(logger, Shared.TerminalText.Escape(message.Type!), LengthPrefixCodec.FrameLength(json));
                    return message;
                }

                DialogLog.ClientIgnored(logger, "malformed");
            }
        }

        private async Task HandleAsync(DialogMessage message)
        {
            switch (message.Type)
            {
                case DialogTypes.Say or DialogTypes.Echo:
                    // A server that stops says bye; one that refuses echoes the stop line like any other.
                    _stopEchoed |= message.Type == DialogTypes.Echo && _command == "stop" && DialogProtocol.IsCommand(message.Text ?? "", "stop");
                    await ShowAsync(message).ConfigureAwait(false);
                    break;
                case DialogTypes.Error:
                    _lastError = message;
                    if (message.Code == DialogErrorCodes.SessionInvalid)
                    {
                        _resumePending = false;
                        if (options.OnSessionInvalid is { } forget)
                        {
                            await forget().ConfigureAwait(false);
                        }
                    }

                    await ShowAsync(message).ConfigureAwait(false);
                    break;
                case DialogTypes.Bye:
                    _bye = message.Text ?? "";
                    await ShowAsync(message).ConfigureAwait(false);
                    break;
                case DialogTypes.Session:
                    _resumePending = false;
                    if (options.OnSession is { } keep)
                    {
                        await keep(message).ConfigureAwait(false);
                    }

                    break;
                case DialogTypes.Ask when !_resumePending && _sender is null && !_abandoned:
                    await AnswerAsync(message).ConfigureAwait(false);
                    break;
                case DialogTypes.Ready when _sender is null:
                    await ShowAsync(message).ConfigureAwait(false);
                    _sender = SendLinesAsync();
                    break;
                default:
                    // A question asked before a resume was seen, or a type from a newer protocol: not for us.
                    DialogLog.ClientIgnored(logger, Shared.TerminalText.Escape(message.Type!));
                    break;
            }
        }

        private async Task AnswerAsync(DialogMessage question)
        {
            var answer = await user.AskAsync(question, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                // Nothing to answer with: say so by closing our side; the server says bye and closes.
                _abandoned = true;
                await ShutdownSendAsync().ConfigureAwait(false);
                return;
            }

            await SendAsync(DialogMessage.Answer(question.Id ?? "", answer)).ConfigureAwait(false);
        }

        private async Task SendLinesAsync()
        {
            var logout = options.Service == "auth";
            while (await user.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (logout && line.Trim().Equals(DialogTypes.Logout, StringComparison.OrdinalIgnoreCase))
                {
                    _command = DialogTypes.Logout;
                    await SendAsync(DialogMessage.Logout()).ConfigureAwait(false);
                    break;
                }

                var message = DialogMessage.Message(line);
                var bytes = LengthPrefixCodec.FrameLength(DialogCodec.Serialize(message)) - LengthPrefixCodec.HeaderLength;
                if (bytes > DialogProtocol.MaxClientMessageBytes)
                {
                    await ShowAsync(DialogMessage.Error("line-too-long",
                        $"Not sent: the line makes a message of {bytes} bytes; the server takes at most {DialogProtocol.MaxClientMessageBytes}."))
                        .ConfigureAwait(false);
                    continue;
                }

                var command = DialogProtocol.IsCommand(line, "exit") ? "exit" : DialogProtocol.IsCommand(line, "stop") ? "stop" : null;
                if (command is not null)
                {
                    _command = command;
                }

                await SendAsync(message).ConfigureAwait(false);
                if (command is not null)
                {
                    break;
                }
            }

            if (_command is null)
            {
                _inputEnded = true;
            }

            // Nothing more to send: say so, and let every reply still on its way arrive.
            await ShutdownSendAsync().ConfigureAwait(false);
        }

        private async Task SendAsync(DialogMessage message)
        {
            var json = DialogCodec.Serialize(message);
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _messages.SendMessageAsync(json, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            DialogLog.ClientSent(logger, message.Type!, Encoding.UTF8.GetByteCount(json) + LengthPrefixCodec.HeaderLength);
        }

        private async Task ShutdownSendAsync()
        {
            try
            {
                await connection.ShutdownSendAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // Best effort: the connection may already be gone, and the receive side will tell.
            }
        }

        private static void Observe(Task? task) =>
            _ = task?.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
