using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// A raw UDP socket talking to a chat server, as <c>nc -u</c> would: it sends exactly the text given and keeps every
/// datagram it receives, read at once by its own loop into a queue (with a large receive buffer), so a busy test
/// loses nothing to a full socket buffer.
/// </summary>
internal sealed class ChatPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reader;
    private int _receivedCount;

    private ChatPeer(Socket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>How many datagrams have arrived so far (read or not).</summary>
    public int ReceivedCount => Volatile.Read(ref _receivedCount);

    /// <summary>A peer of <paramref name="server"/>, sending from <paramref name="from"/> (any loopback address) when given.</summary>
    public static ChatPeer Open(IPEndPoint server, IPAddress? from = null)
    {
        var target = server.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, server.Port)
            : server.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, server.Port)
            : server;
        var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        socket.Connect(target);
        return new ChatPeer(socket);
    }

    public Task SendAsync(string text, CancellationToken cancellationToken) => SendAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public async Task SendAsync(byte[] datagram, CancellationToken cancellationToken) =>
        await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);

    /// <summary>
    /// Sends <paramref name="join"/> (a <c>/join</c> line) and, when the server challenges this address
    /// (<c>? /join NICK CODE</c>), sends back the line it asks for with the same padding and line ending, as
    /// <c>parley chat</c> does; returns the answer that follows, or the first answer when it is no challenge.
    /// </summary>
    public async Task<string> JoinAsync(string join, CancellationToken cancellationToken)
    {
        await SendAsync(join, cancellationToken);
        var answer = await ReceiveAsync(cancellationToken);
        if (!answer.StartsWith("? /join ", StringComparison.Ordinal))
        {
            return answer;
        }

        var body = join.TrimEnd('\r', '\n');
        var padding = new string(' ', body.Length - body.TrimEnd(' ').Length);
        await SendAsync(answer.TrimEnd('\r', '\n')[2..] + padding + join[body.Length..], cancellationToken);
        return await ReceiveAsync(cancellationToken);
    }

    /// <summary>The next datagram, as bytes.</summary>
    public async Task<byte[]> ReceiveBytesAsync(CancellationToken cancellationToken) => await _received.Reader.ReadAsync(cancellationToken);

    /// <summary>The next datagram, as text (line ending included, if any).</summary>
    public async Task<string> ReceiveAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReceiveBytesAsync(cancellationToken));

    /// <summary>Every datagram up to the answer to a <c>/ping</c> sent now: what the server sent before handling the ping.</summary>
    public async Task<List<string>> DrainAsync(CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        await SendAsync($"/ping {token}", cancellationToken);
        var lines = new List<string>();
        while (await ReceiveAsync(cancellationToken) is var line && line != $"/pong {token}")
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Whatever has arrived so far, without waiting.</summary>
    public List<string> Pending()
    {
        var lines = new List<string>();
        while (_received.Reader.TryRead(out var datagram))
        {
            lines.Add(Encoding.UTF8.GetString(datagram));
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Dispose();
        await _reader;
        _closing.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[65_536];
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                _received.Writer.TryComplete(e is SocketException ? e : null);
                return;
            }

            _received.Writer.TryWrite(buffer[..n]);
            Interlocked.Increment(ref _receivedCount);
        }
    }
}
