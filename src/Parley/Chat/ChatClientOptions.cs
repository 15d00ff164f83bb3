using System.Net.Sockets;

namespace Parley.Chat;

/// <summary>How a <see cref="ChatClient"/> joins and keeps in touch.</summary>
public sealed class ChatClientOptions
{
    /// <summary>How long to wait for each server address to answer <c>/join</c>. Default 5 seconds.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to wait for an answer before sending <c>/join</c> again (a datagram may be lost). Default 1 second.
    /// </summary>
    public TimeSpan JoinRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A keep-alive <c>/ping</c> is sent this often. Default 20 seconds.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// With nothing heard from the server for this long, the client reports it as not responding (and carries on,
    /// in case it comes back). Default 30 seconds.
    /// </summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The socket's receive buffer, in bytes: a busy chat's messages wait there until read. Default 1 MiB; Linux caps
    /// it at <c>net.core.rmem_max</c>.
    /// </summary>
    public int ReceiveBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The client paces itself to this many messages a second on average. Default 18: under the server's default
    /// limit of 20, with room for datagrams that the network delivers closer together than they were sent.
    /// </summary>
    public double Rate { get; set; } = 18;

    /// <summary>Messages the client sends at once before <see cref="Rate"/> applies. Default 36 (the server allows 40).</summary>
    public double Burst { get; set; } = 36;

    /// <summary>Only addresses of this family (IPv4 or IPv6). Default <see langword="null"/>: every address.</summary>
    public AddressFamily? AddressFamily { get; set; }

    /// <summary>Bind the socket to this local address before sending. Default <see langword="null"/>: any.</summary>
    public System.Net.IPAddress? LocalAddress { get; set; }
}
