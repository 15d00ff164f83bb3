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
    /// The most clients connected at once; a connection beyond it is refused at once (see <see cref="Refusal"/>),
    /// counted and logged. Default 0: no limit. Set it below the process's open-file limit, so that the server runs
    /// out of connections before it runs out of descriptors.
    /// </summary>
    public int MaxConnections { get; set; }

    /// <summary>
    /// The most clients connected at once from one IP address (an IPv4-mapped IPv6 address counts as the IPv4
    /// address); a connection beyond it is refused at once, counted and logged. Default 0: no limit. A limit keeps one
    /// address from taking every connection, but hosts behind one NAT share an address.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; }

    /// <summary>
    /// What a client refused for a connection limit is sent before the connection closes, made from the reason (a
    /// few words for people); for example the dialog protocol's <c>busy</c> error. Not sent when
    /// <see cref="Transform"/> is set: the connection closes without a TLS handshake, which would cost the server more
    /// than the client. Default <see langword="null"/>: the connection is closed without a word.
    /// </summary>
    public Func<string, ReadOnlyMemory<byte>>? Refusal { get; set; }

    /// <summary>
    /// Wraps each accepted connection's stream before the handler sees it, for example in TLS. Default
    /// <see langword="null"/>: the handler reads and writes the socket's own stream.
    /// </summary>
    public IConnectionTransform? Transform { get; set; }

    /// <summary>
    /// What drives the accepted connections. Default <see cref="TcpEngine.Sockets"/>. <see cref="TcpEngine.Epoll"/>
    /// is for handlers that never block (it runs them on its loop threads), and only where
    /// <see cref="TcpServer.EpollSupported"/>; <see cref="TcpServer.Start"/> refuses it elsewhere.
    /// </summary>
    public TcpEngine Engine { get; set; }

    /// <summary>
    /// With <see cref="TcpEngine.Epoll"/>: how long a loop that has run out of work keeps polling for the next event
    /// before it sleeps, as Linux's <c>SO_BUSY_POLL</c> does for a socket: a request that comes within it is served
    /// without the wake-up of a sleeping thread (a few microseconds less per round trip), for up to a core of CPU per
    /// loop while requests keep coming that often. Default zero: no polling. The loops are the process's: while
    /// several servers ask, they poll for the longest.
    /// </summary>
    public TimeSpan BusyPoll { get; set; }
}
