using System.Net;
using System.Net.Sockets;

namespace Parley.Tcp;

/// <summary>How a client connects.</summary>
public sealed class ConnectOptions
{
    /// <summary>How long to wait for each address to answer. Default 5 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Only addresses of this family (IPv4 or IPv6). Default <see langword="null"/>: every address.</summary>
    public AddressFamily? AddressFamily { get; set; }

    /// <summary>Bind the client socket to this local address before connecting. Default <see langword="null"/>: any.</summary>
    public IPAddress? LocalAddress { get; set; }

    /// <summary>
    /// Put the connection in TLS, checking the server as these options say (a <see cref="Tls.TlsClientOptions"/>).
    /// Default <see langword="null"/>: plain TCP.
    /// </summary>
    public IClientConnectionTransform? Tls { get; set; }

    /// <summary>
    /// Makes the socket to connect, of the given address family: a plain TCP socket unless a caller wants a subclass
    /// (the load generator connects a <c>MessageSocket</c>).
    /// </summary>
    internal Func<System.Net.Sockets.AddressFamily, Socket> NewSocket { get; private set; } =
        static family => new Socket(family, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>A copy of these options that connects sockets made by <paramref name="newSocket"/>.</summary>
    internal ConnectOptions WithSocket(Func<System.Net.Sockets.AddressFamily, Socket> newSocket)
    {
        var copy = (ConnectOptions)MemberwiseClone();
        copy.NewSocket = newSocket;
        return copy;
    }
}
