using System.Net;

namespace Parley.Udp;

/// <summary>Where a <see cref="UdpServer"/> listens and how large its socket buffers are.</summary>
public sealed class UdpServerOptions
{
    /// <summary>
    /// The address to bind. Default <see langword="null"/>: every interface, IPv4 and IPv6 on one dual-stack
    /// socket where the operating system allows it, otherwise IPv4 only. A wildcard socket answers from the address
    /// the routing table picks, which on a machine with several addresses on one network may not be the address the
    /// client wrote to; bind one address to be sure.
    /// </summary>
    public IPAddress? Address { get; set; }

    /// <summary>The port to listen on. Default 9003. 0 asks the operating system for a free port.</summary>
    public int Port { get; set; } = 9003;

    /// <summary>
    /// How many ports to try, counting up from <see cref="Port"/>, when a port is in use. Default 1: only
    /// <see cref="Port"/>.
    /// </summary>
    public int PortTries { get; set; } = 1;

    /// <summary>
    /// The socket's receive buffer, in bytes: datagrams that arrive while it is full are dropped by the operating
    /// system. Default 4 MiB; Linux caps it at <c>net.core.rmem_max</c>.
    /// </summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The socket's send buffer, in bytes. Default 1 MiB; Linux caps it at <c>net.core.wmem_max</c>.</summary>
    public int SendBufferBytes { get; set; } = 1024 * 1024;
}
