namespace Parley.Framing;

/// <summary>What was wrong with a length-prefixed stream.</summary>
public enum MessageProtocolError
{
    /// <summary>A header declared a length over the receiver's maximum.</summary>
    MessageTooLarge,

    /// <summary>A payload was not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The stream ended inside a 4-byte header.</summary>
    TruncatedHeader,

    /// <summary>The stream ended inside a payload.</summary>
    TruncatedPayload,
}
