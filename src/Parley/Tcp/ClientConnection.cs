using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Parley.Tcp;

/// <summary>A client's connection to a server: the socket, the stream to talk over, and where it leads.</summary>
public sealed class ClientConnection : IAsyncDisposable
{
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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
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
