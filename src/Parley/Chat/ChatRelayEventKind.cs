namespace Parley.Chat;

/// <summary>What another server of the room did (<see cref="ChatRelayEvent"/>).</summary>
internal enum ChatRelayEventKind
{
    /// <summary>A member joined there: the others are told <c>* NICK joined</c>.</summary>
    Joined,

    /// <summary>A member is there, already known to the room (after the relay came back): no notice.</summary>
    Present,

    /// <summary>A member left there, or its server stopped.</summary>
    Left,

    /// <summary>A member timed out there, or its server died and a live server swept it.</summary>
    TimedOut,

    /// <summary>A member there changed its nickname from <see cref="ChatRelayEvent.Nickname"/> to <see cref="ChatRelayEvent.Other"/>.</summary>
    Renamed,

    /// <summary>A public message.</summary>
    Public,

    /// <summary>A private message to <see cref="ChatRelayEvent.Other"/>, which may be a member of this server.</summary>
    Private,
}
