using System.Net.Security;
using System.Runtime.Versioning;

namespace Parley.Tls;

/// <summary>
/// The cipher suites the servers offer: in TLS 1.2 only ECDHE key exchange with AEAD ciphers (AES-GCM,
/// ChaCha20-Poly1305), stricter than Mozilla's "intermediate" profile, which also allows DHE; no CBC (LUCKY13), no
/// static RSA key exchange (no forward secrecy). TLS 1.3 keeps its three suites: a policy must list them, or TLS 1.3
/// stops working.
/// </summary>
internal static class TlsCipherSuites
{
    /// <summary>The suites, TLS 1.3 first, then TLS 1.2 in order of preference.</summary>
    public static readonly TlsCipherSuite[] Allowed =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The policy to give the server's handshake, or <see langword="null"/> where .NET cannot set one (Windows: there
    /// the system's own TLS settings decide).
    /// </summary>
    public static CipherSuitesPolicy? ServerPolicy { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Create() : null;

    [UnsupportedOSPlatform("windows")]
    private static CipherSuitesPolicy Create() => new(Allowed);
}
