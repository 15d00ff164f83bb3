using System.Net.Sockets;

namespace Parley.Udp;

/// <summary>What the socket errors of a UDP socket mean.</summary>
internal static class UdpSocketErrors
{
    /// <summary>
    /// True when the operating system reports that nothing listens at the other end: an ICMP port unreachable
    /// came back for an earlier datagram. Linux reports it on a connected socket as ECONNREFUSED, Windows as
    /// WSAECONNRESET (on any socket, which a server must ignore: one vanished client says nothing about the rest).
    /// </summary>
    public static bool IsPortUnreachable(SocketException exception) =>
        exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset;
}
