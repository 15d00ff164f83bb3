namespace Parley.Chat;

/// <summary>What a datagram from a client asks for.</summary>
internal enum ChatRequestKind
{
    /// <summary>Text for everyone.</summary>
    Text,

    /// <summary><c>/join NICK</c>.</summary>
    Join,

    /// <summary><c>/nick NEW</c>.</summary>
    Nick,

    /// <summary><c>/who</c>.</summary>
    Who,

    /// <summary><c>/msg NICK TEXT</c>.</summary>
    Msg,

    /// <summary><c>/leave</c> or <c>/quit</c>.</summary>
    Leave,

    /// <summary><c>/ping [TOKEN]</c>.</summary>
    Ping,

    /// <summary>A word after <c>/</c> that is no command.</summary>
    Unknown,
}
