using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Hosting;

/// <summary>
/// Ctrl+C, SIGTERM and <c>stop</c> on the console, written once and run against every server: each stops it
/// gracefully (exit code 0, "Stop requested" and "Server stopped" logged) at any moment after its first log line,
/// including the moment right after the <c>Listening on</c> line that scripts wait for.
/// </summary>
public sealed partial class ServerSignalTests
{
    public static TheoryData<string> Servers => ["echo", "ident", "auth", "chat"];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Ctrl_C_right_after_the_Listening_line_stops_the_server_gracefully(string service)
    {
        for (var attempt = 0; attempt < Attempts(service); attempt++)
        {
            var ct = TestTimeout.Token();
            // bash reads the line and signals with its builtin kill at once, as a script waiting for the server would:
            // no polling delay and no fork between the line and the signal. Job control (set -m) keeps SIGINT from
            // being ignored in the background job, as it would be in a plain non-interactive shell.
            await using var shell = ParleyProcess.StartInShell(
                "set -m; coproc SERVER { exec {parley}; }; IFS= read -r line <&\"${SERVER[0]}\"; kill -INT \"$SERVER_PID\"; " +
                "printf '%s\\n' \"$line\"; wait \"$SERVER_PID\"; echo \"exit status $?\"",
                Arguments(service));

            var exit = await shell.WaitForAsync(ExitStatusLine(), ct);
            await shell.WaitForExitAsync(ct);

            Assert.Contains("Listening on", shell.StandardOutput, StringComparison.Ordinal);
            AssertStoppedGracefully(shell, int.Parse(exit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), "Ctrl+C (SIGINT)");
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Ctrl_C_right_after_the_first_log_line_stops_the_server_gracefully(string service)
    {
        for (var attempt = 0; attempt < Attempts(service); attempt++)
        {
            var ct = TestTimeout.Token();
            await using var server = Start(service);
            await server.WaitForAsync(FirstLogLine(), ct, standardError: true);

            server.Signal("INT");

            AssertStoppedGracefully(server, await server.WaitForExitAsync(ct), "Ctrl+C (SIGINT)");
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task SIGTERM_stops_the_server_gracefully(string service)
    {
        var ct = TestTimeout.Token();
        await using var server = Start(service);
        await server.WaitForListeningPortAsync(ct);

        server.Signal("TERM");

        AssertStoppedGracefully(server, await server.WaitForExitAsync(ct), "signal SIGTERM");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Stop_on_the_console_stops_the_server_gracefully(string service)
    {
        var ct = TestTimeout.Token();
        await using var server = Start(service);
        await server.WaitForListeningPortAsync(ct);

        await server.Input.WriteLineAsync("stop");
        await server.Input.FlushAsync(ct);

        AssertStoppedGracefully(server, await server.WaitForExitAsync(ct), "the server console");
    }

    [Fact]
    public async Task A_second_Ctrl_C_during_a_long_graceful_stop_ends_the_server_at_once()
    {
        var ct = TestTimeout.Token();
        await using var server = Start("echo");
        var port = await server.WaitForListeningPortAsync(ct);
        // A client that sends and never reads: the server owes it data it cannot deliver, so the graceful stop waits
        // (up to its 5 s shutdown timeout).
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        var line = new byte[64 * 1024];
        Array.Fill(line, (byte)'x');
        using var sending = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                await client.SendAsync(line, SocketFlags.None, sending.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Both directions are full now.
        }

        server.Signal("INT");
        await server.WaitForAsync(new Regex("Server stopping"), ct, standardError: true);
        Assert.False(server.HasExited);
        // A person's second Ctrl+C, not one signal delivered twice: the server takes a second one only half a second
        // or more after the first. This pause is the behaviour under test, not a wait for something to happen.
        await Task.Delay(TimeSpan.FromMilliseconds(700), ct);
        Assert.False(server.HasExited);

        server.Signal("INT");

        Assert.Equal(130, await server.WaitForExitAsync(ct));
        Assert.DoesNotContain("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_Ctrl_C_delivered_twice_at_once_is_still_a_graceful_stop()
    {
        var ct = TestTimeout.Token();
        await using var server = Start("echo");
        await server.WaitForListeningPortAsync(ct);

        server.Signal("INT");
        server.Signal("INT");

        AssertStoppedGracefully(server, await server.WaitForExitAsync(ct), "Ctrl+C (SIGINT)");
    }

    private static int Attempts(string service) => service == "echo" ? 10 : 3;

    private static ParleyProcess Start(string service) => ParleyProcess.Start(Arguments(service));

    // ident and auth keep their default database, parley.db in the working folder: the process's own temporary home,
    // removed with it.
    private static string[] Arguments(string service) => ["serve", service, "--port", "0", "--host", "127.0.0.1"];

    private static void AssertStoppedGracefully(ParleyProcess server, int exitCode, string source)
    {
        Assert.True(exitCode == 0, $"exit code {exitCode}\nstderr:\n{server.StandardError}");
        Assert.Contains($"Stop requested by {source}", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^exit status (\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExitStatusLine();

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} INF ", RegexOptions.Multiline)]
    private static partial Regex FirstLogLine();
}
