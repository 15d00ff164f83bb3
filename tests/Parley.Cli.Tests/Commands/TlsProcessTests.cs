using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Commands.Echo;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands;

/// <summary>Issue 8: TLS with trust on first use, through the real program.</summary>
public sealed partial class TlsProcessTests
{
    private static async Task<(ParleyProcess Server, int Port, string Fingerprint)> StartTlsServerAsync(CancellationToken ct, string? home = null, params string[] extra)
    {
        var server = ParleyProcess.Start(["serve", "echo", "--tls", "--port", "0", "--host", "127.0.0.1", .. extra], home: home);
        var port = await server.WaitForListeningPortAsync(ct);
        var fingerprint = (await server.WaitForAsync(FingerprintInLog(), ct, standardError: true)).Groups[1].Value;
        return (server, port, fingerprint);
    }

    private static Task<ParleyProcess> RunClientAsync(string input, string home, CancellationToken ct, params string[] arguments) =>
        RunAsync(input, home, ct, ["client", "--host", "127.0.0.1", .. arguments]);

    private static async Task<ParleyProcess> RunAsync(string input, string home, CancellationToken ct, params string[] arguments)
    {
        var process = ParleyProcess.Start(arguments, home: home);
        await process.Input.WriteAsync(input);
        process.Input.Close();
        await process.WaitForExitAsync(ct);
        return process;
    }

    [Fact]
    public async Task A_new_server_certificate_is_refused_without_a_terminal_then_trusted_on_first_use_and_recorded()
    {
        var ct = TestTimeout.Token();
        var (server, port, fingerprint) = await StartTlsServerAsync(ct);
        await using var _ = server;
        using var homeFolder = new TempFolder("parley-client-");
        var home = homeFolder.FullName;

        await using var refused = await RunClientAsync("hi\n", home, ct, "--tls", "--port", $"{port}");
        await using var trusted = await RunClientAsync("hi\n", home, ct, "--tls", "--trust-on-first-use", "--port", $"{port}");
        await using var known = await RunClientAsync("again\n", home, ct, "--tls", "--port", $"{port}");

        Assert.Matches(@"TLS certificate: CN=\S+, valid until \d{4}-\d\d-\d\d, fingerprint SHA256:\S+ \(self-signed, kept in ", server.StandardError);
        Assert.Equal(1, await refused.WaitForExitAsync(ct));
        Assert.Contains($"has not been seen before; its fingerprint is {fingerprint}", EchoProcessTests.ErrorLine(refused), StringComparison.Ordinal);
        Assert.Empty(refused.StandardOutput);
        Assert.Equal(0, await trusted.WaitForExitAsync(ct));
        Assert.Equal("hi\n", trusted.StandardOutput);
        Assert.Equal($"[127.0.0.1]:{port} {fingerprint}\n", await File.ReadAllTextAsync(Path.Combine(home, "config", "parley", "known_hosts"), ct));
        Assert.Equal(0, await known.WaitForExitAsync(ct));
        Assert.Equal("again\n", known.StandardOutput);
    }

    [Fact]
    public async Task A_known_hosts_file_that_cannot_be_written_is_one_clear_line()
    {
        var ct = TestTimeout.Token();
        var (server, port, _) = await StartTlsServerAsync(ct);
        await using var _ = server;
        using var homeFolder = new TempFolder("parley-client-");
        var home = homeFolder.FullName;
        var knownHosts = Path.Combine(home, "config", "parley", "known_hosts");
        Directory.CreateDirectory(knownHosts);

        await using var client = await RunClientAsync("hi\n", home, ct, "--tls", "--trust-on-first-use", "--port", $"{port}");

        Assert.Equal(1, await client.WaitForExitAsync(ct));
        Assert.StartsWith($"parley: cannot record the certificate of 127.0.0.1:{port} in {knownHosts}: ", EchoProcessTests.ErrorLine(client), StringComparison.Ordinal);
        EchoProcessTests.AssertNoStackTrace(client.StandardError);
        Assert.Empty(client.StandardOutput);
    }

    [Fact]
    public async Task A_changed_certificate_is_refused_loudly_naming_both_fingerprints_and_the_file()
    {
        var ct = TestTimeout.Token();
        var (server, port, fingerprint) = await StartTlsServerAsync(ct);
        await using var _ = server;
        using var homeFolder = new TempFolder("parley-client-");
        var home = homeFolder.FullName;
        var knownHosts = Path.Combine(home, "config", "parley", "known_hosts");
        Directory.CreateDirectory(Path.GetDirectoryName(knownHosts)!);
        var old = "SHA256:" + Convert.ToBase64String(SHA256.HashData("the old certificate"u8)).TrimEnd('=');
        await File.WriteAllTextAsync(knownHosts, $"[127.0.0.1]:{port} {old}\n", ct);

        await using var client = await RunClientAsync("secret\n", home, ct, "--tls", "--trust-on-first-use", "--port", $"{port}");

        Assert.Equal(1, await client.WaitForExitAsync(ct));
        Assert.Contains($"WARNING: THE CERTIFICATE OF 127.0.0.1:{port} HAS CHANGED.", client.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Recorded: {old}", client.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Now:      {fingerprint}", client.StandardError, StringComparison.Ordinal);
        Assert.Contains($"remove line 1 of {knownHosts}", client.StandardError, StringComparison.Ordinal);
        Assert.Empty(client.StandardOutput);
        Assert.DoesNotContain("Received", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_fingerprint_is_accepted_and_a_wrong_one_refused()
    {
        var ct = TestTimeout.Token();
        var (server, port, fingerprint) = await StartTlsServerAsync(ct);
        await using var _ = server;
        using var homeFolder = new TempFolder("parley-client-");
        var home = homeFolder.FullName;
        var wrong = "SHA256:" + Convert.ToBase64String(SHA256.HashData("someone else"u8)).TrimEnd('=');

        await using var pinned = await RunClientAsync("pin\n", home, ct, "--tls", "--fingerprint", fingerprint, "--port", $"{port}");
        await using var refused = await RunClientAsync("pin\n", home, ct, "--tls", "--fingerprint", wrong, "--port", $"{port}");

        Assert.Equal(0, await pinned.WaitForExitAsync(ct));
        Assert.Equal("pin\n", pinned.StandardOutput);
        Assert.Equal(1, await refused.WaitForExitAsync(ct));
        Assert.Equal($"parley: the certificate of 127.0.0.1:{port} has fingerprint {fingerprint}, not the pinned {wrong}; refusing to talk to it",
            EchoProcessTests.ErrorLine(refused));
    }

    [Fact]
    public async Task The_generated_certificate_is_reused_after_a_restart_and_its_key_is_readable_by_the_owner_only()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-server-");
        var home = homeFolder.FullName;
        string first;
        {
            var (server, _, fingerprint) = await StartTlsServerAsync(ct, home);
            await using var _ = server;
            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExitAsync(ct));
            first = fingerprint;
            Assert.Contains("Created a self-signed TLS certificate", server.StandardError, StringComparison.Ordinal);
        }

        var (again, __, second) = await StartTlsServerAsync(ct, home);
        await using var ___ = again;

        Assert.Equal(first, second);
        Assert.DoesNotContain("Created a self-signed TLS certificate", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "data", "parley", "server-key.pem")));
    }

    [Fact]
    public async Task A_real_certificate_can_be_given_as_PEM_files()
    {
        var ct = TestTimeout.Token();
        using var directory = new TempFolder("parley-cert-");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=echo.example.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await File.WriteAllTextAsync(directory.Combine("cert.pem"), certificate.ExportCertificatePem(), ct);
        await File.WriteAllTextAsync(directory.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem(), ct);
        var expected = "SHA256:" + Convert.ToBase64String(SHA256.HashData(certificate.RawData)).TrimEnd('=');

        var (server, port, fingerprint) = await StartTlsServerAsync(ct, null,
            "--cert", directory.Combine("cert.pem"), "--key", directory.Combine("key.pem"));
        await using var _ = server;
        using var clientHome = new TempFolder();
        await using var client = await RunClientAsync("real\n", clientHome.FullName, ct, "--tls", "--fingerprint", expected, "--port", $"{port}");

        Assert.Equal(expected, fingerprint);
        Assert.Contains("TLS certificate: CN=echo.example.test", server.StandardError, StringComparison.Ordinal);
        Assert.Equal("real\n", client.StandardOutput);
    }

    [Fact]
    public async Task A_certificate_file_that_cannot_be_loaded_is_one_line_before_any_port_opens()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder();
        var home = homeFolder.FullName;
        var bogus = Path.Combine(home, "bogus.pem");
        await File.WriteAllTextAsync(bogus, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n", ct);

        await using var server = ParleyProcess.Start(["serve", "echo", "--tls", "--cert", bogus, "--port", "0"], home: home);

        Assert.Equal(1, await server.WaitForExitAsync(ct));
        Assert.StartsWith($"parley: cannot load the TLS certificate {bogus}", EchoProcessTests.ErrorLine(server), StringComparison.Ordinal);
        Assert.Empty(server.StandardOutput);
    }

    [Fact]
    public async Task A_plain_client_on_a_TLS_port_and_a_TLS_client_on_a_plain_port_each_end_in_one_clear_line()
    {
        var ct = TestTimeout.Token();
        var (tlsServer, tlsPort, _) = await StartTlsServerAsync(ct);
        await using var _ = tlsServer;
        var (plainServer, plainPort) = await EchoServerProcess.StartAsync(ct);
        await using var __ = plainServer;
        using var homeFolder = new TempFolder();
        var home = homeFolder.FullName;

        await using var plainOnTls = await RunClientAsync("hello\n", home, ct, "--port", $"{tlsPort}");
        await using var tlsOnPlain = await RunClientAsync("hello\n", home, ct, "--tls", "--insecure", "--port", $"{plainPort}");

        Assert.Equal(1, await plainOnTls.WaitForExitAsync(ct));
        Assert.Contains("without echoing anything", EchoProcessTests.ErrorLine(plainOnTls), StringComparison.Ordinal);
        Assert.Contains("add --tls", EchoProcessTests.ErrorLine(plainOnTls), StringComparison.Ordinal);
        await tlsServer.WaitForAsync(new Regex("the client does not speak TLS"), ct, standardError: true);
        Assert.Equal(1, await tlsOnPlain.WaitForExitAsync(ct));
        Assert.StartsWith($"parley: TLS handshake with 127.0.0.1:{plainPort} failed", EchoProcessTests.ErrorLine(tlsOnPlain), StringComparison.Ordinal);
        EchoProcessTests.AssertNoStackTrace(plainOnTls.StandardError);
        EchoProcessTests.AssertNoStackTrace(tlsOnPlain.StandardError);
        Assert.False(tlsServer.HasExited);
        Assert.False(plainServer.HasExited);
    }

    [Fact]
    public async Task Ping_probes_a_TLS_echo_server_with_the_same_trust_rules_as_the_client()
    {
        var ct = TestTimeout.Token();
        var (tlsServer, tlsPort, fingerprint) = await StartTlsServerAsync(ct);
        await using var _ = tlsServer;
        var (plainServer, plainPort) = await EchoServerProcess.StartAsync(ct);
        await using var __ = plainServer;
        using var homeFolder = new TempFolder("parley-client-");
        var home = homeFolder.FullName;

        await using var untrusted = await RunAsync("", home, ct, "ping", "127.0.0.1", "-p", $"{tlsPort}", "-c", "2", "-i", "10ms", "--tls", "--json");
        await using var trusted = await RunAsync(
            "", home, ct, "ping", "127.0.0.1", "-p", $"{tlsPort}", "-c", "2", "-i", "10ms", "--tls", "--trust-on-first-use", "--json");
        await using var plain = await RunAsync("", home, ct, "ping", "127.0.0.1", "-p", $"{plainPort}", "-c", "2", "-i", "10ms", "--tls", "--insecure");

        Assert.Equal(1, await untrusted.WaitForExitAsync(ct));
        Assert.Contains($"has not been seen before; its fingerprint is {fingerprint}", EchoProcessTests.ErrorLine(untrusted), StringComparison.Ordinal);
        EchoProcessTests.AssertNoStackTrace(untrusted.StandardError);
        using (var refusal = JsonDocument.Parse(untrusted.StandardOutput))
        {
            Assert.Equal("tls-refused", refusal.RootElement.GetProperty("error").GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, refusal.RootElement.GetProperty("summary").ValueKind);
        }

        Assert.Equal(0, await trusted.WaitForExitAsync(ct));
        using (var report = JsonDocument.Parse(trusted.StandardOutput))
        {
            Assert.True(report.RootElement.GetProperty("tls").GetBoolean());
            Assert.Equal(2, report.RootElement.GetProperty("summary").GetProperty("answered").GetInt32());
        }

        Assert.Equal($"[127.0.0.1]:{tlsPort} {fingerprint}\n", await File.ReadAllTextAsync(Path.Combine(home, "config", "parley", "known_hosts"), ct));
        Assert.Equal(1, await plain.WaitForExitAsync(ct));
        Assert.StartsWith($"PING 127.0.0.1:{plainPort} (127.0.0.1): 32-byte lines over TLS, 2 probes 10 ms apart\n", plain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"probe=1: TLS handshake with 127.0.0.1:{plainPort} failed", plain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 lost to TLS handshake failed: ", plain.StandardOutput, StringComparison.Ordinal);
        Assert.False(tlsServer.HasExited);
    }

    [Fact]
    public async Task Framed_echo_works_unchanged_over_TLS()
    {
        var ct = TestTimeout.Token();
        var (server, port, fingerprint) = await StartTlsServerAsync(ct, null, "--framing", "length");
        await using var _ = server;

        using var clientHome = new TempFolder();
        await using var client = await RunClientAsync("one\nПривет\n", clientHome.FullName, ct,
            "--tls", "--fingerprint", fingerprint, "--framing", "length", "--port", $"{port}");

        Assert.Equal(0, await client.WaitForExitAsync(ct));
        Assert.Equal("one\nПривет\n", client.StandardOutput);
    }

    [Fact]
    public async Task The_identification_service_works_unchanged_over_TLS()
    {
        var ct = TestTimeout.Token();
        using var database = new TempFolder("parley-cli-db-");
        var server = ParleyProcess.Start("serve", "ident", "--tls", "--port", "0", "--host", "127.0.0.1", "--db", database.Combine("parley.db"));
        await using var _ = server;
        var port = await server.WaitForListeningPortAsync(ct);
        using var homeFolder = new TempFolder();
        var home = homeFolder.FullName;

        var client = ParleyProcess.Start(["client", "ident", "--tls", "--trust-on-first-use", "--host", "127.0.0.1", "--port", $"{port}"], home: home);
        await using var __ = client;
        await client.Input.WriteAsync("Alice\nhi over tls\nexit\n");
        client.Input.Close();

        Assert.Equal(0, await client.WaitForExitAsync(ct));
        Assert.Contains("Nice to meet you, Alice", client.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hi over tls", client.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TLS with 127.0.0.1", client.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authentication_service_works_over_TLS_including_resume_and_without_the_cleartext_warning()
    {
        var ct = TestTimeout.Token();
        using var databaseFolder = new TempFolder("parley-cli-db-");
        var database = databaseFolder.Combine("parley.db");
        var server = ParleyProcess.Start("serve", "auth", "--tls", "--port", "0", "--host", "0.0.0.0", "--db", database);
        await using var _ = server;
        var port = await server.WaitForListeningPortAsync(ct);
        using var homeFolder = new TempFolder();
        var home = homeFolder.FullName;
        string[] client = ["client", "auth", "--tls", "--trust-on-first-use", "--host", "127.0.0.1", "--port", $"{port}"];

        var first = ParleyProcess.Start(client, home: home);
        await using var __ = first;
        await first.Input.WriteAsync("carol\nsecret passphrase\nsecret passphrase\nhello\nexit\n");
        first.Input.Close();
        Assert.Equal(0, await first.WaitForExitAsync(ct));
        var second = ParleyProcess.Start(client, home: home);
        await using var ___ = second;
        await second.Input.WriteAsync("again\n");
        second.Input.Close();

        Assert.Equal(0, await second.WaitForExitAsync(ct));
        Assert.Contains("Welcome, carol", first.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("Welcome back, carol: your session is resumed.", second.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("in clear", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_TLS_the_authentication_server_warns_when_it_listens_beyond_loopback()
    {
        var ct = TestTimeout.Token();
        using var database = new TempFolder("parley-cli-db-");
        var server = ParleyProcess.Start("serve", "auth", "--port", "0", "--host", "0.0.0.0", "--db", database.Combine("parley.db"));
        await using var _ = server;

        await server.WaitForListeningPortAsync(ct);

        await server.WaitForAsync(new Regex("in clear"), ct, standardError: true);
    }

    [Theory]
    [InlineData("serve echo --cert x.pem", "parley: --cert and --key need --tls")]
    [InlineData("client --insecure", "parley: --trust-on-first-use, --fingerprint and --insecure need --tls")]
    [InlineData("client --tls --fingerprint SHA256:nope", "parley: --fingerprint: 'SHA256:nope' is not a SHA-256 fingerprint (SHA256: and 43 base64 characters, or 64 hex digits)")]
    public async Task TLS_options_are_checked(string arguments, string expected)
    {
        var ct = TestTimeout.Token();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, arguments.Split(' '));
        await using var _ = process;

        Assert.Equal(2, exit);
        Assert.Equal(expected, EchoProcessTests.ErrorLine(process));
    }

    [GeneratedRegex(@"fingerprint (SHA256:\S+) \(")]
    private static partial Regex FingerprintInLog();
}
