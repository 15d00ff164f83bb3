using System.Net;
using System.Net.Sockets;
using Parley.Epoll;

namespace Parley.Tcp;

/// <summary>One accepted client of a <see cref="TcpServer"/>, as its handler sees it.</summary>
public sealed class ServerConnection
{
    private readonly TcpServer _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly EpollStream? _epoll;
    private int _closeReason;
    private long _lastActivity;
    private IPEndPoint? _local;

    internal ServerConnection(TcpServer server, long id, Socket socket, IPEndPoint remote, bool epoll)
    {
        _server = server;
        Id = id;
        Socket = socket;
        RemoteEndPoint = remote;
        if (epoll)
        {
            _epoll = new EpollStream(socket, EpollEngine.NextLoop(), _stopping.Token);
            Transport = _epoll;
        }
        else
        {
            Transport = new NetworkStream(socket, ownsSocket: false);
        }

        ConnectedAt = server.TimeProvider.GetTimestamp();
        _lastActivity = ConnectedAt;
    }

    /// <summary>The server-wide number of this connection, counting from 1.</summary>
    public long Id { get; }

    /// <summary>The client's address and port; an IPv4-mapped IPv6 address is given as the IPv4 address.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The server's address and port on this connection.</summary>
    /// <remarks>
    /// Asked of the operating system on first use, and only when the server listens on every interface: an idle
    /// connection keeps no copy of what every connection shares.
    /// </remarks>
    public IPEndPoint LocalEndPoint => _local ??= _server.LocalEndPointOf(Socket);

    /// <summary>
    /// The stream to read and write: the socket's own stream, or what <see cref="TcpServerOptions.Transform"/>
    /// made of it (for example a TLS stream).
    /// </summary>
    public Stream Transport { get; internal set; }

    /// <summary>Cancelled when the server is stopping or has given up on this connection.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Why the connection closed, or <see cref="Tcp.CloseReason.None"/> while it is open.</summary>
    public CloseReason CloseReason => (CloseReason)Volatile.Read(ref _closeReason);

    /// <summary>Bytes received from the client so far.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Bytes sent to the client so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Whether this client may stop the server under the server's <see cref="StopPolicy"/>.</summary>
    public bool MayStopServer => _server.Options.StopPolicy switch
    {
        StopPolicy.Any => true,
        StopPolicy.Local => IPAddress.IsLoopback(RemoteEndPoint.Address),
        _ => false,
    };

    /// <summary>Length-prefixed messages received so far (framed echo), for the server's metrics.</summary>
    internal long MessagesReceived { get; set; }

    internal Socket Socket { get; }

    internal long ConnectedAt { get; }

    internal long LastActivity => Volatile.Read(ref _lastActivity);

    internal Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Records why the connection is closing. The first reason recorded wins; later ones are ignored.</summary>
    public void SetCloseReason(CloseReason reason) =>
        Interlocked.CompareExchange(ref _closeReason, (int)reason, (int)CloseReason.None);

    /// <summary>Counts bytes received and marks the connection active (for the idle timeout).</summary>
    public void OnReceived(int bytes)
    {
        BytesReceived += bytes;
        Volatile.Write(ref _lastActivity, _server.TimeProvider.GetTimestamp());
    }

    /// <summary>Counts bytes sent.</summary>
    public void OnSent(int bytes) => BytesSent += bytes;

    /// <summary>
    /// Asks the server to stop on this client's behalf. Returns <see langword="false"/>, and logs a warning, when
    /// the server's <see cref="StopPolicy"/> does not allow this client to stop it.
    /// </summary>
    public bool TryRequestServerStop()
    {
        if (!MayStopServer)
        {
            TcpLog.StopRefused(_server.Logger, Id, RemoteEndPoint, _server.Options.StopPolicy);
            return false;
        }

        SetCloseReason(CloseReason.StopCommand);
        _server.RequestStop($"client {Id} ({RemoteEndPoint})");
        return true;
    }

    /// <summary>Signals the handler to finish: the server is stopping.</summary>
    internal void SignalStopping(CloseReason reason)
    {
        SetCloseReason(reason);
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already finished.
        }

        // The epoll engine registers nothing on the token for each read: it is told here instead.
        _epoll?.OwnerCancelled();
    }

    /// <summary>Ends the connection at once: pending reads and writes fail.</summary>
    internal void Abort(CloseReason reason)
    {
        SignalStopping(reason);
        _epoll?.Abort();
        Socket.Dispose();
    }

    internal void DisposeResources() => _stopping.Dispose();
}
