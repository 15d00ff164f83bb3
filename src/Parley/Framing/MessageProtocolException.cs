using System.Globalization;
using Parley.Shared;

namespace Parley.Framing;

/// <summary>
/// The peer broke the length-prefix framing. The connection cannot be resynchronised and should be closed. The
/// message says what was wrong in one line; the properties carry the figures.
/// </summary>
public sealed class MessageProtocolException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public MessageProtocolException(MessageProtocolError error, long? declaredLength, long bytesReceived, int maxMessageBytes)
        : base(Describe(error, declaredLength, bytesReceived, maxMessageBytes), FailureKind.Protocol)
    {
        Error = error;
        DeclaredLength = declaredLength;
        BytesReceived = bytesReceived;
        MaxMessageBytes = maxMessageBytes;
    }

    /// <summary>What was wrong.</summary>
    public MessageProtocolError Error { get; }

    /// <summary>The length the header declared, when a whole header arrived.</summary>
    public long? DeclaredLength { get; }

    /// <summary>
    /// Bytes of the offending message that had arrived: of the header for <see cref="MessageProtocolError.TruncatedHeader"/>,
    /// of the payload otherwise.
    /// </summary>
    public long BytesReceived { get; }

    /// <summary>The receiver's maximum payload length.</summary>
    public int MaxMessageBytes { get; }

    private static string Describe(MessageProtocolError error, long? declared, long received, int max) => error switch
    {
        MessageProtocolError.MessageTooLarge => string.Create(CultureInfo.InvariantCulture,
            $"message too large: the header declares {declared} bytes, the limit is {max}"),
        MessageProtocolError.InvalidUtf8 => string.Create(CultureInfo.InvariantCulture,
            $"message of {declared} bytes is not valid UTF-8"),
        MessageProtocolError.TruncatedHeader => string.Create(CultureInfo.InvariantCulture,
            $"stream ended inside a message header: {received} of 4 header bytes received"),
        MessageProtocolError.TruncatedPayload => string.Create(CultureInfo.InvariantCulture,
            $"stream ended inside a message: {received} of {declared} declared bytes received"),
        _ => error.ToString(),
    };
}
