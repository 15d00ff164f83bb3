namespace Parley.Chat;

/// <summary>How a datagram's text ends. The server ends what it sends to an address the way that address's last datagram ended.</summary>
internal enum LineEnding
{
    /// <summary>No line ending: programs.</summary>
    None,

    /// <summary>LF, as <c>nc -u</c> sends.</summary>
    Lf,

    /// <summary>CR LF.</summary>
    CrLf,
}
