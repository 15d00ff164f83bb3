using System.Net.Sockets;

namespace Parley.Tcp;

/// <summary>Tells an ordinary disconnect apart from a real failure, at the edge where sockets throw.</summary>
internal static class SocketErrors
{
    /// <summary>True when <paramref name="exception"/> means the peer or the network dropped the connection.</summary>
    public static bool IsDisconnect(Exception exception) => Code(exception) is SocketError.ConnectionReset
        or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.OperationAborted
        or SocketError.NotConnected or SocketError.TimedOut or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable or SocketError.NetworkReset or SocketError.HostDown
        or SocketError.NetworkDown;

    /// <summary>The socket error inside <paramref name="exception"/>, if there is one.</summary>
    public static SocketError? Code(Exception exception) => exception switch
    {
        SocketException s => s.SocketErrorCode,
        IOException { InnerException: SocketException s } => s.SocketErrorCode,
        IOException { InnerException: IOException { InnerException: SocketException s } } => s.SocketErrorCode,
        _ => null,
    };
}
