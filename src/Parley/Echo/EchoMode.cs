namespace Parley.Echo;

/// <summary>How the echo server treats the bytes it receives.</summary>
public enum EchoMode
{
    /// <summary>Echo every byte at once, except the command lines <c>exit</c> and <c>stop</c>. The default.</summary>
    Line,

    /// <summary>Plain RFC 862 echo: every byte, no commands.</summary>
    Raw,

    /// <summary>Length-prefixed messages: each message answered by one message with the same text.</summary>
    Framed,
}
