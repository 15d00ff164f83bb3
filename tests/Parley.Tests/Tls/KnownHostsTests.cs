using Parley.Tests.Support;
using Parley.Tls;

namespace Parley.Tests.Tls;

public sealed class KnownHostsTests
{
    [Fact]
    public void Entries_are_found_by_host_and_port_and_a_line_that_is_not_understood_is_warned_about_and_skipped()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("known_hosts");
        var fingerprint = CertificateFingerprint.Of(TlsTestCertificates.Localhost);
        File.WriteAllText(file, $"# comment\ngarbage line here\n[example.org]:9002 {fingerprint}\n");
        var (factory, logs) = TestLogging.Create();
        var known = new KnownHosts(file, factory.CreateLogger("test"));

        var found = known.Find("EXAMPLE.org", 9002);

        Assert.NotNull(found);
        Assert.Equal(fingerprint, found.Value.Fingerprint);
        Assert.Equal(3, found.Value.Line);
        Assert.Null(known.Find("example.org", 9000));
        Assert.True(logs.Has("KnownHostsLineIgnored", r => r.Message.Contains("line 2", StringComparison.Ordinal)));
    }

    [Fact]
    public void Adding_keeps_what_was_there_and_makes_an_owner_only_file()
    {
        using var folder = new TempFolder();
        var directory = folder.Combine("config", "parley");
        var file = Path.Combine(directory, "known_hosts");
        var known = new KnownHosts(file, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var a = CertificateFingerprint.Of(TlsTestCertificates.Localhost);
        var b = CertificateFingerprint.Of(TlsTestCertificates.Create("b"));

        known.Add("a.example", 1, a);
        known.Add("b.example", 2, b);

        Assert.Equal($"[a.example]:1 {a}\n[b.example]:2 {b}\n", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Single(Directory.GetFiles(directory));
    }

    [Fact]
    public void A_known_hosts_file_that_cannot_be_written_is_a_TlsException_naming_it()
    {
        using var folder = new TempFolder();
        var file = folder.Combine("known_hosts");
        Directory.CreateDirectory(file);
        var known = new KnownHosts(file, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var e = Assert.Throws<TlsException>(() => known.Add("a.example", 1, CertificateFingerprint.Of(TlsTestCertificates.Localhost)));

        Assert.StartsWith($"cannot record the certificate of a.example:1 in {file}: ", e.Message, StringComparison.Ordinal);
    }
}
