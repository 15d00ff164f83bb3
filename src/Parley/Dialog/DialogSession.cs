using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Parley.Framing;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Dialog;

/// <summary>
/// The server's side of one dialog connection: sends messages, and receives the client's, checking each against
/// the protocol and the moment (a question pending or not). A bad message gets an <c>error</c> with code
/// <c>bad-message</c> and the connection stays open; <see cref="DialogProtocol.MaxBadMessagesInARow"/> in a row end it
/// with <c>bye</c>. Every way the conversation can end (client gone, server stopping, broken framing) comes out of
/// <see cref="ReceiveAsync"/> as <see langword="null"/>, with the close reason recorded and, where the client can
/// still hear it, a <c>bye</c> sent.
/// </summary>
internal sealed class DialogSession : IAsyncDisposable
{
    private readonly ServerConnection _connection;
    private readonly ILogger _logger;
    private readonly IReadOnlySet<string> _clientTypes;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private string? _pendingQuestion;
    private int _badInARow;
    private int _received;
    private bool _byeSent;

    public DialogSession(ServerConnection connection, ILogger logger, IReadOnlySet<string> clientTypes)
    {
        _connection = connection;
        _logger = logger;
        _clientTypes = clientTypes;
        _reader = PipeReader.Create(connection.Transport, new StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true));
        _writer = PipeWriter.Create(connection.Transport, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public ServerConnection Connection => _connection;

    /// <summary>Whether a <c>bye</c> has been sent: the conversation is over.</summary>
    public bool Ended => _byeSent;

    /// <summary>The id of the question waiting for its answer, if any.</summary>
    public string? PendingQuestion => _pendingQuestion;

    /// <summary>Sends one message. Writes are not cancelled: what the client is owed is delivered even while stopping.</summary>
    public async ValueTask SendAsync(DialogMessage message)
    {
        var json = DialogCodec.Serialize(message);
        await _writer.WriteMessageAsync(json, DialogProtocol.MaxServerMessageBytes).ConfigureAwait(false);
        var bytes = LengthPrefixCodec.FrameLength(json);
        _connection.OnSent(bytes);
        if (message.Is(DialogTypes.Bye))
        {
            _byeSent = true;
        }

        DialogLog.MessageSent(_logger, _connection.Id, Shared.TerminalText.Escape(message.Type!), bytes);
    }

    /// <summary>Sends <c>bye</c> and records why the connection ends.</summary>
    public async ValueTask ByeAsync(string text, CloseReason reason)
    {
        _connection.SetCloseReason(reason);
        await SendAsync(DialogMessage.Bye(text)).ConfigureAwait(false);
    }

    /// <summary>Asks a question and returns the next valid message (normally its answer), or null when the conversation ended.</summary>
    public async ValueTask<DialogMessage?> AskAsync(string id, string text, bool secret = false, string? defaultAnswer = null)
    {
        _pendingQuestion = id;
        await SendAsync(DialogMessage.Ask(id, text, secret, defaultAnswer)).ConfigureAwait(false);
        return await ReceiveAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The next valid message from the client, or <see langword="null"/> when the conversation is over: the client
    /// closed, too many bad messages, the framing broke, or the server is stopping (each logged, the reason recorded).
    /// </summary>
    public async ValueTask<DialogMessage?> ReceiveAsync()
    {
        while (true)
        {
            string? json;
            try
            {
                json = await _reader.ReadMessageAsync(DialogProtocol.MaxClientMessageBytes, _connection.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_connection.Stopping.IsCancellationRequested)
            {
                await TryByeAsync(_connection.CloseReason == CloseReason.IdleTimeout
                    ? "You were silent for too long: closing the connection."
                    : "The server is stopping. Goodbye.", CloseReason.ServerStopping).ConfigureAwait(false);
                return null;
            }
            catch (MessageProtocolException e)
            {
                DialogLog.ProtocolError(_logger, _connection.Id, _connection.RemoteEndPoint, e.Message);
                await TryByeAsync($"Closing the connection: {e.Message}.", CloseReason.ProtocolError).ConfigureAwait(false);
                return null;
            }

            if (json is null)
            {
                _connection.SetCloseReason(CloseReason.ClosedByClient);
                await TryByeAsync("End of input. Goodbye.", CloseReason.ClosedByClient).ConfigureAwait(false);
                return null;
            }

            var bytes = LengthPrefixCodec.FrameLength(json);
            _connection.OnReceived(bytes);
            var first = _received++ == 0;
            string problem;
            if (DialogCodec.TryParse(json, out var message, out problem))
            {
                DialogLog.MessageReceived(_logger, _connection.Id, Shared.TerminalText.Escape(message.Type!), bytes);
                problem = Check(message, first);
                if (problem.Length == 0)
                {
                    _badInARow = 0;
                    if (message.Is(DialogTypes.Answer) || message.Is(DialogTypes.Resume))
                    {
                        _pendingQuestion = null;
                    }

                    return message;
                }
            }

            _badInARow++;
            DialogLog.BadMessage(_logger, _connection.Id, _connection.RemoteEndPoint, _badInARow, problem);
            if (_badInARow >= DialogProtocol.MaxBadMessagesInARow)
            {
                DialogLog.TooManyBadMessages(_logger, _connection.Id, _connection.RemoteEndPoint, _badInARow);
                await SendAsync(DialogMessage.Error(DialogErrorCodes.BadMessage, Sentence(problem))).ConfigureAwait(false);
                await ByeAsync($"{_badInARow} bad messages in a row: closing the connection.", CloseReason.ProtocolError).ConfigureAwait(false);
                return null;
            }

            await SendAsync(DialogMessage.Error(DialogErrorCodes.BadMessage, Sentence(problem))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The conversation: sends <c>ready</c>, then answers each <c>message</c> with <c>echo</c>. <c>exit</c> ends it
    /// with <c>bye</c>; <c>stop</c> stops the server when this client may (<see cref="ServerConnection.MayStopServer"/>),
    /// and is otherwise echoed like any text. Other accepted types go to <paramref name="other"/>, which returns
    /// <see langword="true"/> when the conversation is over.
    /// </summary>
    public async Task ConverseAsync(string readyText, string byeText, Func<DialogMessage, ValueTask<bool>>? other = null)
    {
        await SendAsync(DialogMessage.Ready(readyText)).ConfigureAwait(false);
        while (await ReceiveAsync().ConfigureAwait(false) is { } message)
        {
            if (!message.Is(DialogTypes.Message))
            {
                if (other is not null && await other(message).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            var text = message.Text!;
            if (DialogProtocol.IsCommand(text, "exit"))
            {
                DialogLog.ExitCommand(_logger, _connection.Id);
                await ByeAsync(byeText, CloseReason.ExitCommand).ConfigureAwait(false);
                return;
            }

            if (DialogProtocol.IsCommand(text, "stop"))
            {
                DialogLog.StopCommand(_logger, _connection.Id);
                if (_connection.MayStopServer)
                {
                    await ByeAsync("Stopping the server. Goodbye.", CloseReason.StopCommand).ConfigureAwait(false);
                    _connection.TryRequestServerStop();
                    return;
                }

                // Refused: logged as a warning by the server, and the text is echoed like any other.
                _connection.TryRequestServerStop();
            }

            await SendAsync(DialogMessage.Echo(text)).ConfigureAwait(false);
            DialogLog.Echoed(_logger, _connection.Id, text.Length);
        }
    }

    /// <summary>Sends <c>bye</c> unless one was sent, ignoring a client that is already gone.</summary>
    public async ValueTask TryByeAsync(string text, CloseReason reason)
    {
        _connection.SetCloseReason(reason);
        if (_byeSent)
        {
            return;
        }

        try
        {
            await SendAsync(DialogMessage.Bye(text)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Best effort: the client may have closed both directions, and then nobody is left to tell.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _writer.CompleteAsync().ConfigureAwait(false);
    }

    private string Check(DialogMessage message, bool first)
    {
        var type = message.Type!;
        if (!_clientTypes.Contains(type))
        {
            return $"unknown message type '{Shorten(type)}'";
        }

        if (message.Is(DialogTypes.Answer))
        {
            if (_pendingQuestion is null)
            {
                return "an answer, but no question was asked";
            }

            if (message.Id is { } id && id != _pendingQuestion)
            {
                return $"an answer to '{Shorten(id)}', but the question asked is '{_pendingQuestion}'";
            }

            return message.Text is null ? "an answer needs a text" : "";
        }

        if (message.Is(DialogTypes.Resume))
        {
            if (!first)
            {
                return "resume is only allowed as the first message";
            }

            return string.IsNullOrEmpty(message.Token) ? "resume needs a token" : "";
        }

        if (_pendingQuestion is not null)
        {
            return $"the question '{_pendingQuestion}' is waiting for its answer";
        }

        return message.Is(DialogTypes.Message) && message.Text is null ? "a message needs a text" : "";
    }

    private static string Shorten(string text) =>
        DataPreview.Of(System.Text.Encoding.UTF8.GetBytes(text.Length > 40 ? text[..40] : text), 32);

    private static string Sentence(string problem) => char.ToUpperInvariant(problem[0]) + problem[1..] + ".";
}
