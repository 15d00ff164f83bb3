using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Tests.Support;
using Parley.Tls;

namespace Parley.Tests.Tls;

public sealed class ServerCertificatesTests
{
    [Fact]
    public void The_self_signed_certificate_is_made_once_with_an_owner_only_key_and_reused_afterwards()
    {
        using var folder = new TempFolder();
        var directory = folder.Combine("parley");
        var (factory, logs) = TestLogging.Create();
        var logger = factory.CreateLogger("test");

        using var first = ServerCertificates.LoadOrCreateSelfSigned(directory, ["myhost"], TimeProvider.System, logger);
        using var second = ServerCertificates.LoadOrCreateSelfSigned(directory, ["myhost"], TimeProvider.System, logger);

        Assert.Equal(CertificateFingerprint.Of(first), CertificateFingerprint.Of(second));
        Assert.Equal("CN=myhost", first.Subject);
        Assert.True(second.HasPrivateKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, ServerCertificates.KeyFileName)));
        Assert.Single(logs.Events("CertificateCreated"));
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
    }

    [Fact]
    public void A_kept_certificate_that_cannot_be_read_is_a_clear_error_and_is_not_replaced_behind_the_users_back()
    {
        using var folder = new TempFolder();
        var directory = folder.FullName;
        File.WriteAllText(Path.Combine(directory, ServerCertificates.CertificateFileName), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(directory, ServerCertificates.KeyFileName), "not a key");
        var (factory, _) = TestLogging.Create();

        var e = Assert.Throws<TlsException>(() =>
            ServerCertificates.LoadOrCreateSelfSigned(directory, ["h"], TimeProvider.System, factory.CreateLogger("test")));

        Assert.StartsWith($"cannot use the kept TLS certificate {Path.Combine(directory, ServerCertificates.CertificateFileName)}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("delete", e.Message, StringComparison.Ordinal);
        Assert.Equal("not a key", File.ReadAllText(Path.Combine(directory, ServerCertificates.KeyFileName)));
    }

    [Fact]
    public void An_expired_kept_certificate_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var directory = folder.FullName;
        var (factory, _) = TestLogging.Create();
        using var made = ServerCertificates.LoadOrCreateSelfSigned(directory, ["h"], TimeProvider.System, factory.CreateLogger("test"));
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(3));

        var e = Assert.Throws<TlsException>(() => ServerCertificates.LoadOrCreateSelfSigned(directory, ["h"], later, factory.CreateLogger("test")));

        Assert.Contains("it expired on", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loose_key_file_is_made_private_with_a_warning()
    {
        using var folder = new TempFolder();
        var directory = folder.FullName;
        var (factory, logs) = TestLogging.Create();
        using (ServerCertificates.LoadOrCreateSelfSigned(directory, ["h"], TimeProvider.System, factory.CreateLogger("test")))
        {
        }

        var key = Path.Combine(directory, ServerCertificates.KeyFileName);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using var _ = ServerCertificates.LoadOrCreateSelfSigned(directory, ["h"], TimeProvider.System, factory.CreateLogger("test"));

        Assert.True(logs.Has("Tightened", r => r.Level == LogLevel.Warning && r.Message.Contains("mode 604", StringComparison.Ordinal)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    [Fact]
    public void A_PEM_certificate_and_key_given_by_the_user_load_and_a_missing_file_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var directory = folder.FullName;
        var certificate = TlsTestCertificates.Create("given.example");
        var certPath = Path.Combine(directory, "given.crt");
        var keyPath = Path.Combine(directory, "given.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        using var loaded = ServerCertificates.Load(certPath, keyPath, null);
        var e = Assert.Throws<TlsException>(() => ServerCertificates.Load(Path.Combine(directory, "missing.pfx"), null, null));

        Assert.Equal("CN=given.example", loaded.Subject);
        Assert.True(loaded.HasPrivateKey);
        Assert.StartsWith("cannot load the TLS certificate ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PFX_file_with_a_password_loads()
    {
        using var folder = new TempFolder();
        var directory = folder.FullName;
        var path = Path.Combine(directory, "server.pfx");
        File.WriteAllBytes(path, TlsTestCertificates.Create("pfx.example").Export(X509ContentType.Pkcs12, "s3cret"));

        using var loaded = ServerCertificates.Load(path, null, "s3cret");
        var wrong = Assert.Throws<TlsException>(() => ServerCertificates.Load(path, null, "wrong"));

        Assert.Equal("CN=pfx.example", loaded.Subject);
        Assert.StartsWith($"cannot load the TLS certificate {path}", wrong.Message, StringComparison.Ordinal);
    }
}
