using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Tcp;

namespace Parley.Tls;

/// <summary>How a client checks a server's certificate.</summary>
public sealed class TlsClientOptions : IClientConnectionTransform
{
    /// <summary>Accept any certificate, with a warning. Default false. Anyone in the middle can then read the connection.</summary>
    public bool Insecure { get; set; }

    /// <summary>Accept only the certificate with this fingerprint, whoever signed it. Default none.</summary>
    public CertificateFingerprint? Pinned { get; set; }

    /// <summary>Where certificates trusted on first use are recorded. Default none: no trust on first use.</summary>
    public KnownHosts? KnownHosts { get; set; }

    /// <summary>Trust (and record) a certificate seen for the first time without asking. Default false.</summary>
    public bool TrustOnFirstUse { get; set; }

    /// <summary>
    /// Asks the user whether to trust a certificate seen for the first time; null when nobody can be asked (no
    /// terminal), and then the certificate is refused unless <see cref="TrustOnFirstUse"/>.
    /// </summary>
    public Func<TrustQuestion, bool>? Ask { get; set; }

    /// <summary>
    /// The authorities to trust instead of the machine's (a private authority, or a test's). Default none: the
    /// machine's trust store. Either way a certificate pinned in <see cref="KnownHosts"/> wins over any authority.
    /// </summary>
    public X509Certificate2Collection? TrustedAuthorities { get; set; }

    /// <summary>How long the handshake may take. Default 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Puts <paramref name="connection"/> in TLS as these options say (<see cref="TlsClient.AuthenticateAsync"/>).</summary>
    /// <exception cref="TlsException">The handshake failed or the certificate is not trusted.</exception>
    public Task ApplyAsync(ClientConnection connection, ILogger logger, CancellationToken cancellationToken) =>
        TlsClient.AuthenticateAsync(connection, this, logger, cancellationToken);
}
