using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Tests.Support;

/// <summary>
/// Many bare UDP sockets from one loopback address, one port each, as an attacker's host would open them: each joins
/// by itself (answering the challenge, as any client can), then they only send. Nothing reads what they are sent
/// after joining, so a crowd costs the test no more than the attacker.
/// </summary>
internal sealed class ChatCrowd : IDisposable
{
    private readonly List<Socket> _sockets = [];
    private readonly IPEndPoint _server;
    private readonly IPAddress _from;

    public ChatCrowd(IPEndPoint server, IPAddress from)
    {
        _server = server;
        _from = from;
    }

    public int Count => _sockets.Count;

    /// <summary>Opens one more socket and sends <c>/join NICK</c>; returns the final answer (the welcome or a refusal).</summary>
    public async Task<string> JoinAsync(string nickname, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 64 * 1024 };
        socket.Bind(new IPEndPoint(_from, 0));
        socket.Connect(_server);
        _sockets.Add(socket);
        var buffer = new byte[2048];
        await socket.SendAsync(Encoding.UTF8.GetBytes($"/join {nickname}"), SocketFlags.None, cancellationToken);
        var answer = Encoding.UTF8.GetString(buffer, 0, await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken));
        if (answer.StartsWith("? /join ", StringComparison.Ordinal))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(answer[2..]), SocketFlags.None, cancellationToken);
            answer = Encoding.UTF8.GetString(buffer, 0, await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken));
        }

        // From now on nobody reads this socket: make its buffer small, so the kernel drops what it is sent at once.
        socket.ReceiveBufferSize = 1;
        return answer;
    }

    /// <summary>Sends <paramref name="text"/> once from every socket.</summary>
    public async Task SendFromEachAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var socket in _sockets)
        {
            try
            {
                await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            }
            catch (SocketException)
            {
                // A refused earlier datagram (ICMP) surfaces on a later send: the flood goes on regardless.
            }
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
