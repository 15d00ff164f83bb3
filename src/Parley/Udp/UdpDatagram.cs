using System.Net;

namespace Parley.Udp;

/// <summary>
/// One datagram received by a <see cref="UdpServer"/>. <see cref="Payload"/> is only valid until the handler's
/// <see cref="IUdpDatagramHandler.HandleAsync"/> returns: the buffer is reused for the next datagram.
/// </summary>
/// <param name="Payload">The bytes received.</param>
/// <param name="RemoteEndPoint">The sender; an IPv4-mapped IPv6 address is given as the IPv4 address.</param>
public readonly record struct UdpDatagram(ReadOnlyMemory<byte> Payload, IPEndPoint RemoteEndPoint);
