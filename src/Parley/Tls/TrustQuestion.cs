namespace Parley.Tls;

/// <summary>What the user is asked about a certificate seen for the first time.</summary>
/// <param name="Target">The server, as <c>host:port</c>.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="NotAfter">When it expires (UTC).</param>
/// <param name="Fingerprint">Its SHA-256 fingerprint.</param>
/// <param name="Problem">Why it is not trusted on its own (not signed by a trusted authority, name mismatch).</param>
/// <param name="KnownHostsPath">Where it will be recorded.</param>
public sealed record TrustQuestion(string Target, string Subject, DateTime NotAfter, CertificateFingerprint Fingerprint, string Problem, string KnownHostsPath);
