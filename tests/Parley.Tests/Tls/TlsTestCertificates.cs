using System.Security.Cryptography.X509Certificates;
using Parley.Tls;

namespace Parley.Tests.Tls;

internal static class TlsTestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(() => Create("localhost"));

    /// <summary>One self-signed certificate for localhost, 127.0.0.1 and ::1, made once per test run.</summary>
    public static X509Certificate2 Localhost => Shared.Value;

    public static X509Certificate2 Create(string name) => ServerCertificates.CreateSelfSigned([name], DateTimeOffset.UtcNow);

    public static TlsServerTransform Transform(X509Certificate2? certificate = null, TimeSpan? handshakeTimeout = null) =>
        new(_ => (certificate ?? Localhost, "test"), handshakeTimeout);
}
