namespace Parley.Dialog;

/// <summary>How a dialog client's conversation ended.</summary>
public enum DialogClientOutcome
{
    /// <summary>The user sent <c>exit</c> and the server closed the connection.</summary>
    Exited,

    /// <summary>The user sent <c>stop</c> and the server closed the connection.</summary>
    Stopped,

    /// <summary>The user sent <c>stop</c>; the server echoed it back, so it refused and goes on serving.</summary>
    StopRefused,

    /// <summary>The user logged out and the server closed the connection.</summary>
    LoggedOut,

    /// <summary>The input ended during the conversation; every reply arrived, then the server said bye.</summary>
    InputEnded,

    /// <summary>The server ended the conversation with <c>bye</c> on its own (too many bad answers, failed sign-in, stopping).</summary>
    Dismissed,

    /// <summary>The input ended while the server was waiting for the answer to a question.</summary>
    AbandonedAtQuestion,

    /// <summary>The server closed the connection without a <c>bye</c>.</summary>
    ServerClosed,

    /// <summary>The connection was reset or broke.</summary>
    ConnectionLost,
}
