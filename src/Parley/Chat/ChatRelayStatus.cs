namespace Parley.Chat;

/// <summary>Where a chat server stands with its relay (<see cref="IChatRelay"/>), for logs and metrics.</summary>
internal enum ChatRelayStatus
{
    /// <summary>No relay: the room is the members of this server.</summary>
    None,

    /// <summary>The relay works: the room is the members of every server on it.</summary>
    Connected,

    /// <summary>The relay is unreachable: members hear only the members of this server, and joins are refused.</summary>
    Lost,
}
