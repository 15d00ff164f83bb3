using System.Net;

namespace Parley.Udp;

/// <summary>One datagram for <see cref="UdpServer.SendBatchAsync"/>.</summary>
/// <param name="Datagram">The bytes to send.</param>
/// <param name="To">The destination, for logs.</param>
/// <param name="Address">The destination as the socket takes it (<see cref="UdpServer.AddressOf"/>), made once per destination.</param>
internal readonly record struct UdpOutgoing(ReadOnlyMemory<byte> Datagram, IPEndPoint To, SocketAddress Address);
