using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Tls;

/// <summary>
/// A certificate's SHA-256 fingerprint, shown as SSH shows host keys: <c>SHA256:</c> and unpadded base64. Also read
/// in the hex form <c>openssl x509 -fingerprint -sha256</c> prints.
/// </summary>
public readonly record struct CertificateFingerprint
{
    private const string Prefix = "SHA256:";
    private readonly byte[] _hash;

    private CertificateFingerprint(byte[] hash) => _hash = hash;

    /// <summary>The SHA-256 of the certificate's DER encoding.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>The fingerprint of <paramref name="certificate"/>.</summary>
    public static CertificateFingerprint Of(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateFingerprint(SHA256.HashData(certificate.GetRawCertData()));
    }

    /// <summary>Reads <c>SHA256:base64</c>, or 64 hex digits with or without colons (and an optional <c>SHA256:</c> or <c>sha256 Fingerprint=</c>).</summary>
    public static bool TryParse(string? text, out CertificateFingerprint fingerprint)
    {
        fingerprint = default;
        var value = (text ?? "").Trim();
        var equals = value.LastIndexOf('=');
        if (value.StartsWith("sha256 fingerprint=", StringComparison.OrdinalIgnoreCase) && equals > 0)
        {
            value = value[(equals + 1)..];
        }

        if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[Prefix.Length..];
        }

        var hex = value.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
        {
            fingerprint = new CertificateFingerprint(Convert.FromHexString(hex));
            return true;
        }

        try
        {
            var base64 = value.TrimEnd('=');
            var bytes = Convert.FromBase64String(base64 + new string('=', (4 - base64.Length % 4) % 4));
            if (bytes.Length == 32)
            {
                fingerprint = new CertificateFingerprint(bytes);
                return true;
            }
        }
        catch (FormatException)
        {
            // Neither form: not a fingerprint.
        }

        return false;
    }

    /// <summary>Compares in constant time.</summary>
    public bool Equals(CertificateFingerprint other) =>
        _hash is not null && other._hash is not null && CryptographicOperations.FixedTimeEquals(_hash, other._hash);

    /// <inheritdoc />
    public override int GetHashCode() => _hash is null ? 0 : BitConverter.ToInt32(_hash, 0);

    /// <summary><c>SHA256:</c> followed by unpadded base64.</summary>
    public override string ToString() => _hash is null ? "" : Prefix + Convert.ToBase64String(_hash).TrimEnd('=');

    /// <summary>Colon-separated upper-case hex, as openssl prints it.</summary>
    public string ToHex() => _hash is null ? "" : string.Join(':', _hash.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
