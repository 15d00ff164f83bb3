using System.Net.Security;
using Parley.Tcp;
using Parley.Tls;

namespace Parley.Cli.Sessions;

/// <summary>
/// Keeps a session token where it was issued (issue 16): a token obtained over TLS is sent only over TLS, to the
/// certificate it was obtained from; never in clear, where whoever answers on that port could take it and resume the
/// session on the real server.
/// </summary>
internal static class SessionTransport
{
    public const string Plain = "tcp";
    public const string Tls = "tls";

    /// <summary>The transport of <paramref name="connection"/>, and its server certificate's fingerprint over TLS.</summary>
    public static (string Transport, string? Fingerprint) Of(ClientConnection connection) =>
        connection.Stream is SslStream { RemoteCertificate: { } certificate }
            ? (Tls, CertificateFingerprint.Of(certificate).ToString())
            : (Plain, null);

    /// <summary>Why <paramref name="entry"/> must not be sent over this connection (one line), or null when it may.</summary>
    public static string? Refusal(SessionEntry entry, string server, string transport, string? fingerprint)
    {
        if (entry.Transport is null)
        {
            // Written before the transport was kept: it may have come over TLS, so sending it in clear could leak it.
            return $"the session kept for {server} was saved by an older Parley without the way it was obtained (TLS or not), so it is forgotten, not sent; sign in with your password";
        }

        if (entry.Transport == Tls && transport != Tls)
        {
            return $"the session kept for {server} was obtained over TLS and is not sent over plain TCP (anyone on the way, or whoever answers there, could take it); sign in with your password, or connect with --tls";
        }

        if (entry.Transport == Tls && !string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return $"the session kept for {server} was obtained from the certificate {entry.Fingerprint}, not from this server's {fingerprint}, and is not sent; sign in with your password";
        }

        return null;
    }
}
