using System.Net;
using System.Net.Sockets;

namespace Parley.Benchmarks.Chat;

/// <summary>
/// The baseline: the least a UDP relay can do. One socket; a datagram starting <c>/join </c> adds its sender; any
/// other from a known sender goes, as it came, to every other known sender. No nicknames, no notices, no limits, no
/// validation: what Parley's chat server costs beyond it is the price of those.
/// </summary>
internal sealed class BareRelay : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<SocketAddress> _members = [];
    private readonly Task _loop;
    private long _sent;
    private int _memberCount;

    private BareRelay()
    {
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(RelayAsync);
    }

    public IPEndPoint EndPoint { get; }

    public long DatagramsSent => Interlocked.Read(ref _sent);

    /// <summary>How many members have joined.</summary>
    public int MemberCount => Volatile.Read(ref _memberCount);

    public static BareRelay Start() => new();

    public void Dispose()
    {
        _socket.Dispose();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // Closed: the loop ends either way.
        }
    }

    private async Task RelayAsync()
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (true)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from);
            var datagram = buffer.AsMemory(0, received);
            var sender = _members.FindIndex(m => m.Equals(from));
            if (datagram.Span.StartsWith("/join "u8))
            {
                if (sender < 0)
                {
                    var member = new SocketAddress(from.Family, from.Size);
                    from.Buffer.CopyTo(member.Buffer);
                    _members.Add(member);
                    Volatile.Write(ref _memberCount, _members.Count);
                }

                continue;
            }

            if (sender < 0)
            {
                continue;
            }

            for (var i = 0; i < _members.Count; i++)
            {
                if (i != sender)
                {
                    await _socket.SendToAsync(datagram, SocketFlags.None, _members[i]);
                    Interlocked.Increment(ref _sent);
                }
            }
        }
    }
}
