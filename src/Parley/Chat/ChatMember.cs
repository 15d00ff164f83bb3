using System.Net;
using Parley.Shared;

namespace Parley.Chat;

/// <summary>A member of the chat: a source address and port with a nickname. Owned by <see cref="ChatRoom"/>.</summary>
internal sealed class ChatMember(string nickname, IPEndPoint endPoint, TokenBucket bucket, long joinedAt)
{
    public string Nickname { get; set; } = nickname;

    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary><see cref="EndPoint"/> as the server's socket takes it, made once for the many relays to the member.</summary>
    public SocketAddress? Address { get; init; }

    /// <summary>Paces the member's datagrams.</summary>
    public TokenBucket Bucket { get; } = bucket;

    /// <summary>When the member last sent anything (a timestamp of the server's <see cref="TimeProvider"/>).</summary>
    public long LastSeen { get; set; } = joinedAt;

    /// <summary>How the member's last datagram ended; what the server sends it ends the same way.</summary>
    public LineEnding Ending { get; set; }

    /// <summary>Datagrams dropped since the member went over the rate limit; 0 while it is within it.</summary>
    public long Dropped { get; set; }
}
