using Parley.Cli.Options;
using Parley.Cli.Prompts;
using Parley.Tls;
using Spectre.Console.Testing;

namespace Parley.Cli.Tests.Options;

public sealed class TlsClientOptionSetTests
{
    [Fact]
    public void The_first_use_question_shows_control_characters_in_the_subject_escaped_so_it_cannot_fake_the_fingerprint()
    {
        // The subject is the server's to choose: this one conceals the lines after it and draws a fingerprint of its own.
        using var prompts = new TestConsole();
        prompts.Input.PushTextWithEnter("no");
        var error = new StringWriter();
        var console = new CliConsole
        {
            In = TextReader.Null,
            StandardOutput = Stream.Null,
            Out = TextWriter.Null,
            Error = error,
            IsInputRedirected = false,
            Prompts = prompts,
            Display = prompts,
        };
        Assert.True(CertificateFingerprint.TryParse(new string('a', 64), out var fingerprint));
        var question = new TrustQuestion("example.org:9000", "CN=\"evil\u001b[8m\n  Fingerprint: SHA256:fake\r\"", new DateTime(2030, 1, 1),
            fingerprint, "not signed by an authority this machine trusts", "/home/me/.config/parley/known_hosts");

        var trusted = TlsClientOptionSet.AskToTrust(new Prompter(prompts), console, question);

        Assert.False(trusted);
        var lines = error.ToString().Split(Environment.NewLine);
        Assert.DoesNotContain(lines, l => l.Any(char.IsControl));
        Assert.Contains(@"  Subject:     CN=""evil\x1b[8m\n  Fingerprint: SHA256:fake\r""", lines);
        Assert.Equal([$"  Fingerprint: {fingerprint}"], lines.Where(l => l.StartsWith("  Fingerprint:", StringComparison.Ordinal)));
    }
}
