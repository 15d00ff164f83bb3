using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Echo;
using Parley.Tcp;
using Parley.Tests.Support;
using Parley.Tests.Tls;
using Parley.Tls;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16, "A certificate signed by any authority the machine trusts, for a host pinned in known_hosts": it was
/// accepted before known_hosts was consulted, so a pinned certificate was silently replaced. Now the pin wins, as in
/// SSH, and a mismatch is refused loudly.
/// </summary>
public sealed class TlsPinThreatTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-pin-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static (X509Certificate2 Authority, X509Certificate2 Server) AuthorityAndServer()
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=Parley Test Authority", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        using var signed = serverRequest.Create(authority, now.AddDays(-1), now.AddDays(10), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var server = X509Certificate2.CreateFromPem(withKey.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(authority.RawData), server);
    }

    private static LoopbackServer StartTls(X509Certificate2 certificate) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs), o => o.Transform = TlsTestCertificates.Transform(certificate));

    private static async Task<string> ConnectAsync(LoopbackServer server, X509Certificate2 authority, KnownHosts known, CancellationToken ct)
    {
        var options = new TlsClientOptions { KnownHosts = known, TrustedAuthorities = [authority] };
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, new ConnectOptions { Tls = options }, NullLogger.Instance, ct);
        return connection.Stream.GetType().Name;
    }

    [Fact]
    public async Task A_certificate_from_a_trusted_authority_for_a_host_pinned_in_known_hosts_is_refused_loudly()
    {
        var ct = TestTimeout.Token();
        var (authority, certificate) = AuthorityAndServer();
        using var _ = authority;
        using var __ = certificate;
        await using var server = StartTls(certificate);
        var known = new KnownHosts(Path.Combine(_folder.FullName, "known_hosts"), NullLogger.Instance);
        known.Add("127.0.0.1", server.Port, CertificateFingerprint.Of(TlsTestCertificates.Localhost));

        var refused = await Assert.ThrowsAsync<TlsException>(() => ConnectAsync(server, authority, known, ct));

        Assert.Contains("HAS CHANGED", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the pin wins", refused.Message, StringComparison.Ordinal);
        Assert.Contains(CertificateFingerprint.Of(certificate).ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_certificate_is_accepted_for_a_host_not_pinned_and_for_a_host_pinned_to_it()
    {
        var ct = TestTimeout.Token();
        var (authority, certificate) = AuthorityAndServer();
        using var _ = authority;
        using var __ = certificate;
        await using var server = StartTls(certificate);
        var file = Path.Combine(_folder.FullName, "known_hosts");
        var known = new KnownHosts(file, NullLogger.Instance);

        Assert.Equal("SslStream", await ConnectAsync(server, authority, known, ct));
        Assert.False(File.Exists(file));
        known.Add("127.0.0.1", server.Port, CertificateFingerprint.Of(certificate));
        Assert.Equal("SslStream", await ConnectAsync(server, authority, known, ct));
    }
}
