namespace Parley.Chat;

/// <summary>Where a relay reports what the other servers of the room did (<see cref="ChatHandler"/>).</summary>
internal interface IChatRelayListener
{
    /// <summary>Another server's member did something; called in the order that server did them.</summary>
    void Relayed(ChatRelayEvent relayed);

    /// <summary>The members of the other servers, all at once: after connecting, or when the relay came back.</summary>
    void MembersElsewhere(IReadOnlyCollection<string> nicknames);

    /// <summary>The relay was lost or came back.</summary>
    void StatusChanged(ChatRelayStatus status);
}
