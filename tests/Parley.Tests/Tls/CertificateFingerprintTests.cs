using Parley.Tls;

namespace Parley.Tests.Tls;

public sealed class CertificateFingerprintTests
{
    [Fact]
    public void The_fingerprint_reads_back_in_both_its_forms_and_as_openssl_prints_it()
    {
        var fingerprint = CertificateFingerprint.Of(TlsTestCertificates.Localhost);

        Assert.StartsWith("SHA256:", fingerprint.ToString(), StringComparison.Ordinal);
        Assert.Equal(7 + 43, fingerprint.ToString().Length);
        Assert.True(CertificateFingerprint.TryParse(fingerprint.ToString(), out var fromBase64));
        Assert.True(CertificateFingerprint.TryParse(fingerprint.ToHex(), out var fromHex));
        Assert.True(CertificateFingerprint.TryParse("sha256 Fingerprint=" + fingerprint.ToHex(), out var fromOpenssl));
        Assert.True(CertificateFingerprint.TryParse(fingerprint.ToHex().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(), out var fromPlainHex));
        Assert.Equal(fingerprint, fromBase64);
        Assert.Equal(fingerprint, fromHex);
        Assert.Equal(fingerprint, fromOpenssl);
        Assert.Equal(fingerprint, fromPlainHex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SHA256:")]
    [InlineData("SHA256:abc")]
    [InlineData("not a fingerprint at all")]
    [InlineData("AB:CD")]
    public void Anything_else_is_not_a_fingerprint(string text) =>
        Assert.False(CertificateFingerprint.TryParse(text, out _));
}
