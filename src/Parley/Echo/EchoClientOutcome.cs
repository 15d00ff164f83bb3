namespace Parley.Echo;

/// <summary>How an echo client's session ended.</summary>
public enum EchoClientOutcome
{
    /// <summary>The user sent <c>exit</c> and the server closed the connection.</summary>
    Exited,

    /// <summary>The user sent <c>stop</c> and the server closed the connection.</summary>
    Stopped,

    /// <summary>The user sent <c>stop</c>; the server echoed it back as data, so it refused and goes on serving.</summary>
    StopRefused,

    /// <summary>The input ended; every echo arrived before the server closed the connection.</summary>
    InputEnded,

    /// <summary>The input ended, but the server closed the connection before echoing everything sent.</summary>
    Incomplete,

    /// <summary>The server closed the connection while the client still had input to send.</summary>
    ServerClosed,

    /// <summary>The connection was reset or broke.</summary>
    ConnectionLost,
}
