using Microsoft.Extensions.Logging;

namespace Parley.Tls;

/// <summary>Log events of TLS. Event ids 1600-1699; never reuse a retired id.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(1600, LogLevel.Information, "TLS certificate: {Subject}, valid until {Expiry:yyyy-MM-dd}, fingerprint {Fingerprint} ({Source})")]
    public static partial void CertificateInUse(ILogger logger, string subject, DateTime expiry, string fingerprint, string source);

    [LoggerMessage(1601, LogLevel.Information, "Created a self-signed TLS certificate for {Names} in {Path}")]
    public static partial void CertificateCreated(ILogger logger, string names, string path);

    // 1602 (the key file can be read by other users) is retired: such a key is now made private, with StorageLog 1704.

    [LoggerMessage(1603, LogLevel.Information, "TLS with {Target}: {Protocol}, {Cipher}, certificate {Fingerprint} ({Trust})")]
    public static partial void ClientHandshakeDone(ILogger logger, string target, string protocol, string cipher, string fingerprint, string trust);

    [LoggerMessage(1604, LogLevel.Warning, "--insecure: not checking the certificate of {Target} ({Fingerprint}); anyone in the middle can read and change this connection")]
    public static partial void Insecure(ILogger logger, string target, string fingerprint);

    [LoggerMessage(1605, LogLevel.Information, "Trusted {Target} on first use: recorded {Fingerprint} in {File}")]
    public static partial void TrustedOnFirstUse(ILogger logger, string target, string fingerprint, string file);

    [LoggerMessage(1606, LogLevel.Warning, "{File} line {Line} is not understood and is ignored: {Text}")]
    public static partial void KnownHostsLineIgnored(ILogger logger, string file, int line, string text);

    [LoggerMessage(1607, LogLevel.Debug, "Client {ConnectionId} ({RemoteEndPoint}): TLS established, {Protocol}, {Cipher}")]
    public static partial void ServerHandshakeDone(ILogger logger, long connectionId, System.Net.IPEndPoint remoteEndPoint, string protocol, string cipher);
}
