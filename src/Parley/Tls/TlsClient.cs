using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Tls;

/// <summary>
/// Puts a client connection in TLS and decides, like SSH, whether to trust the server: a pinned fingerprint (given,
/// or recorded in known_hosts) must match, whoever signed the certificate: the pin wins, and a mismatch is refused
/// loudly even when an authority the machine trusts vouches for the new certificate (issue 16). A host with no pin
/// is accepted with a certificate from a trusted authority that matches its name; otherwise a certificate seen for
/// the first time is asked about (or refused). Nothing is sent to the server before the decision.
/// </summary>
public static class TlsClient
{
    /// <summary>Runs the handshake and the trust decision; on success the connection's stream is the TLS stream.</summary>
    /// <exception cref="TlsException">The handshake failed or the certificate is not trusted; the message says why.</exception>
    public static async Task AuthenticateAsync(ClientConnection connection, TlsClientOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var target = HostPort.Format(connection.Host, connection.Port);
        var errors = SslPolicyErrors.None;
        var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false, (_, _, _, policyErrors) =>
        {
            // Decide after the handshake, with the user if need be; nothing is sent before that.
            errors = policyErrors;
            return true;
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = connection.Host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = ChainPolicy(options),
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TlsException($"TLS handshake with {target} timed out after {Durations.Format(options.HandshakeTimeout)} (is the server started with --tls?)", null, FailureKind.Network)
            {
                HandshakeFailed = true,
            };
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new TlsException(
                $"TLS handshake with {target} failed: {InnermostMessage.Of(e)} (is the server started with --tls?)", e, FailureKind.Network)
            {
                HandshakeFailed = true,
            };
        }

        try
        {
            var certificate = new X509Certificate2(tls.RemoteCertificate!);
            var trust = Decide(connection, certificate, errors, options, logger, target);
            TlsLog.ClientHandshakeDone(logger, target, tls.SslProtocol.ToString(), tls.NegotiatedCipherSuite.ToString(),
                CertificateFingerprint.Of(certificate).ToString(), trust);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        connection.Stream = tls;
    }

    private static string Decide(ClientConnection connection, X509Certificate2 certificate, SslPolicyErrors errors, TlsClientOptions options,
        ILogger logger, string target)
    {
        var fingerprint = CertificateFingerprint.Of(certificate);
        if (options.Insecure)
        {
            TlsLog.Insecure(logger, target, fingerprint.ToString());
            return "not checked: --insecure";
        }

        if (options.Pinned is { } pinned)
        {
            return pinned.Equals(fingerprint)
                ? "pinned fingerprint"
                : throw new TlsException($"the certificate of {target} has fingerprint {fingerprint}, not the pinned {pinned}; refusing to talk to it");
        }

        // The pin wins: known_hosts is consulted before any authority, as SSH does.
        var known = options.KnownHosts;
        if (known?.Find(connection.Host, connection.Port) is { } recorded)
        {
            if (recorded.Fingerprint.Equals(fingerprint))
            {
                return $"known since first use ({known.Path})";
            }

            var vouched = errors == SslPolicyErrors.None
                ? "It is signed by an authority this machine trusts, but this host is pinned: the pin wins.\n"
                : "";
            throw new TlsException(
                $"""
                WARNING: THE CERTIFICATE OF {target} HAS CHANGED.
                Someone could be intercepting this connection (a man-in-the-middle attack), or the server was given a new certificate.
                {vouched}Recorded: {recorded.Fingerprint}
                Now:      {fingerprint}
                If the change is expected, remove line {recorded.Line} of {known.Path} and connect again.
                """);
        }

        if (errors == SslPolicyErrors.None)
        {
            return "signed by a trusted authority";
        }

        var problem = Describe(errors);
        if (known is null)
        {
            throw new TlsException($"the certificate of {target} is not trusted: {problem} (fingerprint {fingerprint}); use --fingerprint to pin it");
        }

        var question = new TrustQuestion(target, certificate.Subject, certificate.NotAfter.ToUniversalTime(), fingerprint, problem, known.Path);
        var trusted = options.TrustOnFirstUse || (options.Ask?.Invoke(question) ?? false);
        if (!trusted)
        {
            throw new TlsException(options.Ask is null
                ? $"the certificate of {target} is not trusted ({problem}) and has not been seen before; its fingerprint is {fingerprint}. " +
                  "Check it with the server's operator, then connect again with --trust-on-first-use, or pin it with --fingerprint"
                : $"the certificate of {target} was not trusted; nothing was sent");
        }

        known.Add(connection.Host, connection.Port, fingerprint);
        TlsLog.TrustedOnFirstUse(logger, target, fingerprint.ToString(), known.Path);
        return "trusted on first use";
    }

    /// <summary>The machine's trust store, or only <see cref="TlsClientOptions.TrustedAuthorities"/> when given.</summary>
    private static X509ChainPolicy? ChainPolicy(TlsClientOptions options)
    {
        if (options.TrustedAuthorities is not { Count: > 0 } authorities)
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }

    private static string Describe(SslPolicyErrors errors)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            parts.Add("not signed by an authority this machine trusts");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("not issued for this host name");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("no certificate given");
        }

        return string.Join(", ", parts);
    }
}
