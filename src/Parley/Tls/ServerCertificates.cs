using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Shared;

namespace Parley.Tls;

/// <summary>Where a server's certificate comes from: a file the user gives, or a self-signed one Parley keeps.</summary>
public static class ServerCertificates
{
    /// <summary>The file names of the kept self-signed certificate and its key, inside the data folder.</summary>
    public const string CertificateFileName = "server-cert.pem";

    /// <inheritdoc cref="CertificateFileName"/>
    public const string KeyFileName = "server-key.pem";

    /// <summary>
    /// Loads a certificate with its private key: a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, optionally with a password) or
    /// a PEM certificate with its PEM key in <paramref name="keyPath"/> (or in the same file).
    /// </summary>
    /// <exception cref="TlsException">The files cannot be read or hold no usable certificate and key, or the file holding the key is open to others and cannot be made private.</exception>
    public static X509Certificate2 Load(string certificatePath, string? keyPath, string? password, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        KeepPrivate(keyPath ?? certificatePath, logger);
        try
        {
            var certificate = IsPem(certificatePath)
                ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
            if (!certificate.HasPrivateKey)
            {
                throw new CryptographicException($"the certificate in {certificatePath} comes without its private key (give it with --key)");
            }

            CheckValidity(certificate, TimeProvider.System);
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TlsException($"cannot load the TLS certificate {certificatePath}{(keyPath is null ? "" : $" with key {keyPath}")}: {e.Message}", e, FailureKind.Storage);
        }
    }

    /// <summary>
    /// Loads the self-signed certificate kept in <paramref name="directory"/>, making and keeping one first when there
    /// is none: ECDSA P-256, for <paramref name="hostNames"/> plus localhost and this machine's addresses, valid for
    /// two years, the key file readable by its owner only.
    /// </summary>
    /// <exception cref="TlsException">The kept files are unreadable or expired, or cannot be written.</exception>
    public static X509Certificate2 LoadOrCreateSelfSigned(string directory, IReadOnlyList<string> hostNames, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            KeepPrivate(keyPath, logger);

            try
            {
                var kept = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                CheckValidity(kept, timeProvider);
                return kept;
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new TlsException(
                    $"cannot use the kept TLS certificate {certificatePath}: {e.Message}; delete {certificatePath} and {keyPath} to have a new one made (clients will then see a new fingerprint)", e);
            }
        }

        var names = hostNames.Where(n => !string.IsNullOrWhiteSpace(n)).Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var certificate = CreateSelfSigned(names, timeProvider.GetUtcNow());
        try
        {
            Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            WriteNew(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WriteNew(certificatePath, certificate.ExportCertificatePem(),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsException($"cannot keep the new TLS certificate in {directory}: {e.Message}", e, FailureKind.Storage);
        }

        TlsLog.CertificateCreated(logger, string.Join(", ", names), certificatePath);
        return certificate;
    }

    /// <summary>The private key is a secret: a file holding one that others may read is made its owner's only (issue 16).</summary>
    private static void KeepPrivate(string path, ILogger? logger)
    {
        try
        {
            PrivateFile.Tighten(path, logger ?? NullLogger.Instance);
        }
        catch (IOException e)
        {
            throw new TlsException($"refusing the TLS key {path}: {e.Message}", e, FailureKind.Storage);
        }
    }

    internal static X509Certificate2 CreateSelfSigned(IReadOnlyList<string> names, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var literal))
            {
                alternatives.AddIpAddress(literal);
            }
            else
            {
                alternatives.AddDnsName(name);
            }
        }

        foreach (var address in LocalAddresses())
        {
            alternatives.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        // Round-trip through PEM so the key is an ordinary exportable one, the same as after a restart.
        return X509Certificate2.CreateFromPem(created.ExportCertificatePem(), created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    private static IEnumerable<IPAddress> LocalAddresses()
    {
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            addresses.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .Where(a => !a.IsIPv6LinkLocal));
        }
        catch (NetworkInformationException)
        {
            // Loopback alone, then.
        }

        return addresses.Distinct();
    }

    private static void WriteNew(string path, string text, UnixFileMode mode)
    {
        // Write beside the target, then rename: a crash never leaves a half-written key in place.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, mode);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CheckValidity(X509Certificate2 certificate, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            throw new CryptographicException($"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            throw new CryptographicException($"it is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd}");
        }
    }

    private static bool IsPem(string path)
    {
        Span<byte> head = stackalloc byte[64];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return System.Text.Encoding.ASCII.GetString(head[..read]).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
