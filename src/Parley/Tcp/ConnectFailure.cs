namespace Parley.Tcp;

/// <summary>Why a client could not connect.</summary>
public enum ConnectFailure
{
    /// <summary>The host name does not resolve.</summary>
    UnknownHost,

    /// <summary>The host answered, but nothing listens on the port.</summary>
    Refused,

    /// <summary>No answer within the time limit: the host is down, or a firewall drops the packets.</summary>
    TimedOut,

    /// <summary>The network has no route to the host.</summary>
    NoRoute,

    /// <summary>The connection was reset while it was being made.</summary>
    Reset,

    /// <summary>Anything else; the message carries the operating system's words.</summary>
    Other,
}
