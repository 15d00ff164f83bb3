using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Tests.Support;

/// <summary>A bare UDP socket on loopback playing the chat server by hand, to drive a client into corners.</summary>
internal sealed class FakeChatServer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public FakeChatServer() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>The next datagram, with trailing padding spaces removed, and its sender.</summary>
    public async Task<(string Text, IPEndPoint From)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65_536];
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
        return (Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes).TrimEnd(' '), (IPEndPoint)result.RemoteEndPoint);
    }

    public async Task SendAsync(string text, IPEndPoint to, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, to, cancellationToken);

    /// <summary>Answers the next <c>/join NICK</c> with the welcome; returns the client's address.</summary>
    public async Task<IPEndPoint> AcceptJoinAsync(CancellationToken cancellationToken)
    {
        var (text, from) = await ReceiveAsync(cancellationToken);
        Assert.StartsWith("/join ", text, StringComparison.Ordinal);
        await SendAsync($"* you joined as {text[6..]} (1 member)", from, cancellationToken);
        return from;
    }

    public void Dispose() => _socket.Dispose();
}
