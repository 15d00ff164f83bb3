using System.Net;

namespace Parley.Tcp;

/// <summary>Where and how a <see cref="TcpServer"/> listens, and how it treats its connections.</summary>
public sealed class TcpServerOptions
{
    /// <summary>
    /// The address to bind. Default <see langword="null"/>: every interface, IPv4 and IPv6 on one dual-stack
    /// socket where the operating system allows it, otherwise IPv4 only.
    /// </summary>
    public IPAddress? Address { get; set; }

    /// <summary>The port to listen on. Default 9000. 0 asks the operating system for a free port.</summary>
    public int Port { get; set; } = 9000;

    /// <summary>
    /// How many ports to try, counting up from <see cref="Port"/>, when a port is in use. Default 1: only
    /// <see cref="Port"/>. Any other bind failure (permission denied, address not on this machine) is never
    /// retried on the next port.
    /// </summary>
    public int PortTries { get; set; } = 1;

    /// <summary>Which clients may stop the server with <c>stop</c>. Default <see cref="StopPolicy.Local"/>.</summary>
    public StopPolicy StopPolicy { get; set; } = StopPolicy.Local;

    /// <summary>
    /// Close a connection that has received nothing for this long. Default <see langword="null"/>: never.
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>
    /// How long <see cref="TcpServer.StopAsync"/> lets connections finish delivering what they owe before it
    /// aborts them. Default 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The listen backlog. Default 512.</summary>
    public int Backlog { get; set; } = 512;

    /// <summary>
    /// Wraps each accepted connection's stream before the handler sees it, for example in TLS. Default
    /// <see langword="null"/>: the handler reads and writes the socket's own stream.
    /// </summary>
    public IConnectionTransform? Transform { get; set; }
}
