namespace Parley.Cli.Sessions;

/// <summary>One server's session as the client keeps it.</summary>
/// <param name="Token">The session token: a secret.</param>
/// <param name="User">Whose session it is.</param>
/// <param name="Expires">When it expires unless used, as the server said.</param>
internal sealed record SessionEntry(string Token, string? User, string? Expires)
{
    /// <summary>
    /// How the token was obtained: <see cref="SessionTransport.Plain"/> or <see cref="SessionTransport.Tls"/>; null in
    /// files written before Parley kept it (issue 16), whose tokens are not sent anywhere.
    /// </summary>
    public string? Transport { get; init; }

    /// <summary>Over TLS, the fingerprint of the server certificate the token was obtained from (<c>SHA256:...</c>).</summary>
    public string? Fingerprint { get; init; }
}
