using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16, TLS: "testssl.sh against serve echo --tls" found obsolete CBC suites in TLS 1.2; "a TLS renegotiation
/// request or a forged record after the handshake" was logged as an unexpected error with a stack trace. Both against
/// the real server, with the real tools (skipped where they are not installed, unless PARLEY_REQUIRE_SERVICES=1).
/// </summary>
public sealed class TlsThreatTests
{
    private static async Task<(ParleyProcess Server, int Port)> StartTlsEchoAsync(CancellationToken ct)
    {
        var server = ParleyProcess.Start("serve", "echo", "--tls", "--port", "0", "--host", "127.0.0.1");
        var port = await server.WaitForListeningPortAsync(ct);
        await server.WaitForAsync(new Regex("TLS certificate: "), ct, standardError: true);
        return (server, port);
    }

    private static Process StartTool(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(ProgramFactAttribute.Find(program) ?? program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        // Read both outputs so that a full pipe never blocks the tool.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    [ProgramFact("openssl", "openssl")]
    public async Task A_renegotiation_request_after_the_handshake_is_one_warning_naming_the_client_without_a_stack_trace()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await StartTlsEchoAsync(ct);
        await using var _ = server;
        using var client = StartTool("openssl", "s_client", "-connect", $"127.0.0.1:{port}", "-tls1_2");
        try
        {
            // "R" at the start of a line makes s_client ask to renegotiate (RFC 5746), after the handshake.
            await client.StandardInput.WriteLineAsync("R".AsMemory(), ct);
            await client.StandardInput.FlushAsync(ct);

            await server.WaitForAsync(new Regex(@"Client \d+ \(127\.0\.0\.1:\d+\) broke the TLS protocol: .*renegotiation"), ct, standardError: true);
            await server.WaitForAsync(new Regex(@"disconnected: protocol error"), ct, standardError: true);
        }
        finally
        {
            client.Kill();
            await client.WaitForExitAsync(CancellationToken.None);
        }

        Assert.Single(Regex.Matches(server.StandardError, "broke the TLS protocol"));
        Assert.DoesNotContain("unexpected error", server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at ", server.StandardError);
        Assert.False(server.HasExited);
    }

    [ProgramFact("testssl", "testssl.sh")]
    public async Task Testssl_finds_TLS_1_2_and_1_3_only_and_in_TLS_1_2_only_ECDHE_key_exchange_with_AEAD_ciphers()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(4));
        var (server, port) = await StartTlsEchoAsync(ct);
        await using var _ = server;
        using var folder = new TempFolder("parley-testssl-");
        var json = folder.Combine("testssl.json");

        // Its protocol (-p) and cipher (-e: each cipher, one by one) checks, not a full scan.
        using var testssl = StartTool("testssl", "--quiet", "--color", "0", "--warnings", "off", "-p", "-e", "--jsonfile", json, $"127.0.0.1:{port}");
        testssl.StandardInput.Close();
        try
        {
            await testssl.WaitForExitAsync(ct);
        }
        finally
        {
            if (!testssl.HasExited)
            {
                testssl.Kill(entireProcessTree: true);
            }
        }

        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, ct));
        var findings = report.RootElement.EnumerateArray()
            .Select(static e => (Id: e.GetProperty("id").GetString()!, Severity: e.GetProperty("severity").GetString()!, Finding: e.GetProperty("finding").GetString()!))
            .ToList();
        string Finding(string id) => findings.Single(f => f.Id == id).Finding;

        Assert.Equal(0, testssl.ExitCode);
        foreach (var old in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1" })
        {
            Assert.Equal("not offered", Finding(old));
        }

        Assert.StartsWith("offered", Finding("TLS1_2"), StringComparison.Ordinal);
        Assert.StartsWith("offered", Finding("TLS1_3"), StringComparison.Ordinal);
        var ciphers = findings.Where(static f => f.Id.StartsWith("cipher_x", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ciphers);
        Assert.All(ciphers, c =>
        {
            Assert.Matches(@"\sECDH \d+\s+(AESGCM|ChaCha20)\s", c.Finding);
            Assert.DoesNotContain("CBC", c.Finding, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(findings, static f => f.Severity is "LOW" or "MEDIUM" or "HIGH" or "CRITICAL");
    }
}
