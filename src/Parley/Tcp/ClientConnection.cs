using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Parley.Epoll;

namespace Parley.Tcp;

/// <summary>A client's connection to a server: the socket, the stream to talk over, and where it leads.</summary>
public sealed class ClientConnection : IAsyncDisposable
{
    private CancellationTokenRegistration _owner;

    internal ClientConnection(Socket socket, string host, int port)
    {
        Socket = socket;
        Host = host;
        Port = port;
        RemoteEndPoint = TcpServer.Normalize((IPEndPoint)socket.RemoteEndPoint!);
        Stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>The connected socket.</summary>
    public Socket Socket { get; }

    /// <summary>The stream to read and write: the socket's own, or a TLS stream over it.</summary>
    public Stream Stream { get; set; }

    /// <summary>The host name as the user gave it.</summary>
    public string Host { get; }

    /// <summary>The port connected to.</summary>
    public int Port { get; }

    /// <summary>The address actually reached.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>
    /// Closes the sending side (a TCP half-close; for TLS, after the close notification), so the server learns that
    /// nothing more is coming while the reply can still arrive.
    /// </summary>
    public async ValueTask ShutdownSendAsync()
    {
        if (Stream is SslStream tls)
        {
            await tls.ShutdownAsync().ConfigureAwait(false);
        }

        Socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>
    /// Moves a plain (not TLS) connection onto Parley's epoll engine where it works (Linux on x86-64 or Arm64),
    /// with <paramref name="owner"/> ending any read or write when cancelled (registered once, not per call);
    /// elsewhere nothing changes. For a client that only waits on the network, such as the load generator.
    /// </summary>
    internal void UseEpollEngine(CancellationToken owner)
    {
        if (!EpollEngine.IsSupported || Stream is not NetworkStream)
        {
            return;
        }

        var stream = new EpollStream(Socket, EpollEngine.NextLoop(), owner);
        Stream = stream;
        _owner = owner.UnsafeRegister(static s => ((EpollStream)s!).OwnerCancelled(), stream);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        try
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Best effort: a broken TLS stream can throw while it says goodbye.
        }

        Socket.Dispose();
    }
}
