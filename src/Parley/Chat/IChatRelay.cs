namespace Parley.Chat;

/// <summary>
/// Joins the chat servers of one room: what a member of this server does reaches the members of the others, and what
/// theirs do is reported to <see cref="IChatRelayListener"/>. <see cref="ChatHandler"/> calls every method while it
/// handles a datagram, in turn with everything else: none may wait for the network. Without a relay
/// (<see cref="None"/>) the room is this server's members, as it always was.
/// </summary>
internal interface IChatRelay
{
    /// <summary>No relay: every claim is taken at once, and nothing goes anywhere.</summary>
    static IChatRelay None { get; } = new NoChatRelay();

    /// <summary>Where the relay stands now.</summary>
    ChatRelayStatus Status { get; }

    /// <summary>Starts reporting to <paramref name="listener"/>; called once, when the handler is made.</summary>
    void Attach(IChatRelayListener listener);

    /// <summary>
    /// Claims <paramref name="nickname"/> for a member of this server in the whole room, atomically, giving up
    /// <paramref name="previous"/> (a rename) or joining (<see langword="null"/>); the others are told of the join or
    /// the rename once the claim is taken. The task completes later: the handler goes on serving meanwhile.
    /// </summary>
    Task<ChatClaimResult> ClaimAsync(string nickname, string? previous);

    /// <summary>
    /// A member of this server left (<paramref name="timedOut"/>: was dropped as silent); its nickname is free again.
    /// Called whatever the status: while the relay is lost, it is no longer claimed again when the relay comes back.
    /// </summary>
    void Release(string nickname, bool timedOut);

    /// <summary>A public message of a member of this server; false when it could not be queued for the other servers.</summary>
    bool Publish(string nickname, string text);

    /// <summary>A private message to a member of another server; false when it could not be queued.</summary>
    bool SendPrivate(string from, string to, string text);
}
