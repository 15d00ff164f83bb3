using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Cli.Hosting;
using Parley.Cli.Prompts;
using Parley.Shared;
using Parley.Tls;

namespace Parley.Cli.Options;

/// <summary>The TLS options of every TCP client: <c>--tls</c>, <c>--trust-on-first-use</c>, <c>--fingerprint</c>, <c>--insecure</c>.</summary>
internal sealed class TlsClientOptionSet
{
    private readonly Option<bool> _tls = new("--tls")
    {
        Description = "Speak TLS; a certificate not signed by a trusted authority is checked against $XDG_CONFIG_HOME/parley/known_hosts (trust on first use, like SSH)",
    };

    private readonly Option<bool> _trustOnFirstUse = new("--trust-on-first-use")
    {
        Description = "With --tls: trust and record a server's certificate seen for the first time without asking (needed when not at a terminal)",
    };

    private readonly Option<CertificateFingerprint?> _fingerprint = new("--fingerprint")
    {
        Description = "With --tls: accept only the certificate with this SHA-256 fingerprint (SHA256:base64, or hex as openssl prints it)",
        HelpName = "SHA256:...",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (CertificateFingerprint.TryParse(text, out var fingerprint))
            {
                return fingerprint;
            }

            result.AddError($"--fingerprint: '{text}' is not a SHA-256 fingerprint (SHA256: and 43 base64 characters, or 64 hex digits)");
            return null;
        },
    };

    private readonly Option<bool> _insecure = new("--insecure")
    {
        Description = "With --tls: do not check the server's certificate at all (warns; anyone in the middle can read the connection)",
    };

    public void AddTo(Command command)
    {
        command.Add(_tls);
        command.Add(_trustOnFirstUse);
        command.Add(_fingerprint);
        command.Add(_insecure);
        command.Validators.Add(result =>
        {
            var needsTls = result.Given(_trustOnFirstUse) || result.Given(_fingerprint) || result.Given(_insecure);
            if (needsTls && !result.Given(_tls))
            {
                result.AddError("--trust-on-first-use, --fingerprint and --insecure need --tls");
            }
        });
    }

    /// <summary>The TLS options the command line asks for, or null for plain TCP.</summary>
    public TlsClientOptions? Read(ParseResult result, CliConsole console, bool mayPrompt, TimeSpan handshakeTimeout)
    {
        if (!result.GetValue(_tls))
        {
            return null;
        }

        return new TlsClientOptions
        {
            Insecure = result.GetValue(_insecure),
            Pinned = result.GetValue(_fingerprint),
            // A pinned fingerprint or --insecure decides alone: known_hosts is not consulted (nor is a home folder needed).
            KnownHosts = result.GetValue(_insecure) || result.GetValue(_fingerprint) is not null
                ? null
                : new KnownHosts(ParleyPaths.KnownHosts, NullLogger.Instance),
            TrustOnFirstUse = result.GetValue(_trustOnFirstUse),
            Ask = mayPrompt ? question => AskToTrust(new Prompter(console.Prompts), console, question) : null,
            HandshakeTimeout = handshakeTimeout,
        };
    }

    internal static bool AskToTrust(Prompter prompter, CliConsole console, TrustQuestion question)
    {
        console.Error.WriteLine($"The certificate of {question.Target} is {question.Problem}, and this is the first connection to it.");
        // The subject is the server's to choose: raw, its control characters could hide or fake the lines below.
        console.Error.WriteLine($"  Subject:     {DataPreview.Of(Encoding.UTF8.GetBytes(question.Subject), 256)}");
        console.Error.WriteLine($"  Expires:     {question.NotAfter:yyyy-MM-dd}");
        console.Error.WriteLine($"  Fingerprint: {question.Fingerprint}");
        console.Error.WriteLine($"If you trust it, it is remembered in {question.KnownHostsPath}.");
        return prompter.Confirm("Trust it?");
    }
}
