namespace Parley.Chat;

/// <summary>Why a <see cref="ChatClient"/> could not join.</summary>
public enum ChatJoinFailure
{
    /// <summary>The host name does not resolve.</summary>
    UnknownHost,

    /// <summary>The host reports that nothing listens on the UDP port (ICMP port unreachable).</summary>
    Unreachable,

    /// <summary>No answer within <see cref="ChatClientOptions.JoinTimeout"/>: no server, or a firewall drops the datagrams.</summary>
    NoAnswer,

    /// <summary>The server answered <c>! ...</c>: nickname taken or invalid, chat full.</summary>
    Refused,

    /// <summary>The server answered <c>! too fast</c>: this address left and joined again beyond the rate limit.</summary>
    TooFast,
}
