using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16, "200 connections from one address registering throw-away accounts": through the real program, the
/// limit per address is on by default, shown at start, and can be changed with <c>--registrations-per-hour</c>.
/// </summary>
public sealed class RegistrationLimitThreatTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-registrations-");

    public void Dispose() => _folder.Delete(recursive: true);

    private Task<(int ExitCode, ParleyProcess Process)> RegisterAsync(string user, int port, CancellationToken ct) =>
        ParleyProcess.RunAsync($"{user}\n{user} password\n{user} password\nexit\n", ct,
            "client", "auth", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", Path.Combine(_folder.FullName, $"{user}.json"));

    [Fact]
    public async Task Past_the_registrations_allowed_per_hour_an_address_is_told_to_wait()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("auth", Path.Combine(_folder.FullName, "parley.db"), ct, "--registrations-per-hour", "2");
        await using var _ = server;

        var first = await RegisterAsync("first", port, ct);
        var second = await RegisterAsync("second", port, ct);
        var third = await RegisterAsync("third", port, ct);
        await using var __ = first.Process;
        await using var ___ = second.Process;
        await using var ____ = third.Process;

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(1, third.ExitCode);
        Assert.Matches(@"error \(throttled\): Too many new accounts from your address: try again in (59 min \d\d s|1 h 00 min)\.", third.Process.StandardOutput);
        Assert.DoesNotContain("a new one will be made", third.Process.StandardOutput, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex(Regex.Escape("registration open (at most 2 per address an hour)")), ct, standardError: true);
    }

    [Fact]
    public async Task The_limit_is_on_by_default_and_its_help_says_so()
    {
        var ct = TestTimeout.Token();
        var (exit, help) = await ParleyProcess.RunAsync("", ct, "serve", "auth", "--help");
        await using var _ = help;
        var (server, __) = await DialogServerProcess.StartAsync("auth", Path.Combine(_folder.FullName, "parley.db"), ct);
        await using var ___ = server;

        Assert.Equal(0, exit);
        Assert.Matches(@"--registrations-per-hour[\s\S]*0 means unlimited \(default: 100\)", help.StandardOutput);
        Assert.Matches(@"--max-waiting-writes[\s\S]*0 means unlimited \(default: 64\)", help.StandardOutput);
        await server.WaitForAsync(new Regex(Regex.Escape("registration open (at most 100 per address an hour)")), ct, standardError: true);
    }
}
