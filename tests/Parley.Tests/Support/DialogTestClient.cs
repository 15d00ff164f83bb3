using System.Net;
using System.Net.Sockets;
using Parley.Dialog;
using Parley.Framing;

namespace Parley.Tests.Support;

/// <summary>A raw dialog client for tests: sends exactly the JSON given, and reads the server's messages one by one.</summary>
internal sealed class DialogTestClient : IAsyncDisposable
{
    private readonly NetworkStream _stream;

    private DialogTestClient(Socket socket)
    {
        Socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Messages = new MessageStream(_stream, DialogProtocol.MaxServerMessageBytes);
    }

    public Socket Socket { get; }

    public MessageStream Messages { get; }

    /// <summary>Connects from <paramref name="from"/> (127.0.0.2, ...) and reads the server's hello.</summary>
    public static async Task<DialogTestClient> ConnectAsync(LoopbackServer server, IPAddress? from, CancellationToken cancellationToken, string service = "ident")
    {
        var client = new DialogTestClient(await server.ConnectAsync(from, cancellationToken));
        var hello = await client.ExpectAsync(DialogTypes.Hello, cancellationToken);
        Assert.Equal(service, hello.Service);
        Assert.Equal(1, hello.Version);
        return client;
    }

    public async Task SendRawAsync(string json, CancellationToken cancellationToken) =>
        await Messages.SendMessageAsync(json, cancellationToken);

    public Task SendAsync(DialogMessage message, CancellationToken cancellationToken) =>
        SendRawAsync(DialogCodec.Serialize(message), cancellationToken);

    public Task AnswerAsync(string id, string text, CancellationToken cancellationToken) =>
        SendAsync(DialogMessage.Answer(id, text), cancellationToken);

    public Task SayAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(DialogMessage.Message(text), cancellationToken);

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public async Task<DialogMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var json = await Messages.ReceiveMessageAsync(cancellationToken);
        if (json is null)
        {
            return null;
        }

        Assert.True(DialogCodec.TryParse(json, out var message, out var problem), $"the server sent a bad message ({problem}): {json}");
        return message;
    }

    /// <summary>The next message, which must be of <paramref name="type"/> (and, for an ask or error, have this id or code).</summary>
    public async Task<DialogMessage> ExpectAsync(string type, CancellationToken cancellationToken, string? idOrCode = null)
    {
        var message = await ReceiveAsync(cancellationToken);
        Assert.NotNull(message);
        Assert.True(type == message.Type, $"expected {type}, got {message} \"{message.Text}\"");
        if (idOrCode is not null)
        {
            Assert.Equal(idOrCode, type == DialogTypes.Error ? message.Code : message.Id);
        }

        return message;
    }

    /// <summary>Every message until the server closes the connection.</summary>
    public async Task<List<DialogMessage>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var all = new List<DialogMessage>();
        while (await ReceiveAsync(cancellationToken) is { } message)
        {
            all.Add(message);
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await Messages.DisposeAsync();
        await _stream.DisposeAsync();
        Socket.Dispose();
    }
}
