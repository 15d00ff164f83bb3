using Parley.Shared;

namespace Parley.Tls;

/// <summary>A TLS failure with a message fit to show a user: a certificate that cannot be loaded, trusted or made.</summary>
public sealed class TlsException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public TlsException(string message, Exception? inner = null, FailureKind kind = FailureKind.Refused)
        : base(message, kind, "", inner)
    {
    }

    /// <summary>
    /// Whether the handshake itself failed or timed out (a network condition, or a server without TLS), rather than
    /// a certificate being refused or unusable.
    /// </summary>
    public bool HandshakeFailed { get; init; }
}
