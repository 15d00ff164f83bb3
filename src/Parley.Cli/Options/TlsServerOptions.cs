using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Parley.Cli.Hosting;
using Parley.Tls;

namespace Parley.Cli.Options;

/// <summary>The TLS options of every TCP server: <c>--tls</c>, <c>--cert</c>, <c>--key</c>, <c>--tls-handshake-timeout</c>.</summary>
internal sealed class TlsServerOptions
{
    private readonly Option<bool> _tls = new("--tls")
    {
        Description = "Speak TLS 1.2/1.3; without --cert, a self-signed certificate is made at first start and kept in $XDG_DATA_HOME/parley",
    };

    private readonly Option<string?> _cert = new("--cert")
    {
        Description = "With --tls: the certificate, a PFX/PKCS#12 file (password from $PARLEY_CERT_PASSWORD) or a PEM file (key with --key)",
        HelpName = "path",
    };

    private readonly Option<string?> _key = new("--key")
    {
        Description = "With --cert PEM: the PEM private key",
        HelpName = "path",
    };

    private readonly Option<Duration> _handshakeTimeout = OptionFactory.Duration(
        "--tls-handshake-timeout", "With --tls: how long a client has to complete the TLS handshake", TimeSpan.FromSeconds(10));

    /// <summary>Whether <c>--tls</c> was given.</summary>
    public bool IsOn(CommandResult result) => result.Given(_tls);

    public void AddTo(Command command)
    {
        command.Add(_tls);
        command.Add(_cert);
        command.Add(_key);
        command.Add(_handshakeTimeout);
        command.Validators.Add(result =>
        {
            if (!result.Given(_tls) && (result.Given(_cert) || result.Given(_key)))
            {
                result.AddError("--cert and --key need --tls");
            }

            if (result.Given(_key) && !result.Given(_cert))
            {
                result.AddError("--key needs --cert");
            }
        });
    }

    /// <summary>The TLS transform the options ask for, or null for plain TCP.</summary>
    public TlsServerTransform? Read(ParseResult result, IPAddress? boundAddress)
    {
        if (!result.GetValue(_tls))
        {
            return null;
        }

        var cert = result.GetValue(_cert);
        var key = result.GetValue(_key);
        return new TlsServerTransform(logger =>
        {
            if (cert is not null)
            {
                return (ServerCertificates.Load(cert, key, Environment.GetEnvironmentVariable("PARLEY_CERT_PASSWORD"), logger), $"from {Path.GetFullPath(cert)}");
            }

            var names = new List<string> { Dns.GetHostName() };
            if (boundAddress is not null && !boundAddress.Equals(IPAddress.Any) && !boundAddress.Equals(IPAddress.IPv6Any))
            {
                names.Add(boundAddress.ToString());
            }

            var directory = ParleyPaths.Certificates;
            return (ServerCertificates.LoadOrCreateSelfSigned(directory, names, TimeProvider.System, logger),
                $"self-signed, kept in {Path.Combine(directory, ServerCertificates.CertificateFileName)}");
        }, result.GetValue(_handshakeTimeout));
    }
}
