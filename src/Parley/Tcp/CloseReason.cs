namespace Parley.Tcp;

/// <summary>Why a connection closed. The first reason recorded wins.</summary>
public enum CloseReason
{
    /// <summary>No reason recorded yet.</summary>
    None,

    /// <summary>The client sent the <c>exit</c> command.</summary>
    ExitCommand,

    /// <summary>The client sent the <c>stop</c> command, which stopped the server.</summary>
    StopCommand,

    /// <summary>The client closed its side of the connection (orderly shutdown).</summary>
    ClosedByClient,

    /// <summary>The connection was reset by the client or the network.</summary>
    Reset,

    /// <summary>The client was silent for longer than the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The server is stopping.</summary>
    ServerStopping,

    /// <summary>The client broke the protocol (for example a message over the size limit).</summary>
    ProtocolError,

    /// <summary>The conversation ended normally on the server's side (for example after <c>bye</c>).</summary>
    Completed,

    /// <summary>The TLS handshake failed or timed out.</summary>
    TlsHandshakeFailed,

    /// <summary>The server aborted the connection because it did not close in time during shutdown.</summary>
    Aborted,

    /// <summary>An unexpected error on the server.</summary>
    Error,

    /// <summary>The client's message did not arrive whole within the server's time limit for one message.</summary>
    MessageTimeout,

    /// <summary>The client asked for more than a server limit allows (for example memory for an unfinished message).</summary>
    LimitExceeded,
}
