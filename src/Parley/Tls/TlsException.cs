namespace Parley.Tls;

/// <summary>A TLS failure with a message fit to show a user: a certificate that cannot be loaded, trusted or made.</summary>
public sealed class TlsException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TlsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
