namespace Parley.Chat;

/// <summary>Why a chat session ended.</summary>
public enum ChatEndReason
{
    /// <summary>The session has not ended.</summary>
    None,

    /// <summary>The client left (<see cref="ChatClient.LeaveAsync"/>, or it was disposed).</summary>
    Left,

    /// <summary>The server said <c>* server stopping</c>.</summary>
    ServerStopped,

    /// <summary>The operating system reported that nothing listens on the server's port any more (ICMP port unreachable).</summary>
    ServerUnreachable,

    /// <summary>The server had forgotten the client and refused to let it join again (for example, its nickname was taken meanwhile).</summary>
    MembershipLost,
}
