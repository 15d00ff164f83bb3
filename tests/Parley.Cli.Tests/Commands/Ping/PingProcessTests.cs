using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Commands.Echo;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Ping;

/// <summary>The built <c>parley ping</c>, as a user or a script runs it.</summary>
public sealed class PingProcessTests
{
    private const string Ms = @"\d+\.\d{3}";

    [Fact]
    public async Task Pinging_a_live_echo_server_prints_a_line_per_probe_and_a_summary_and_exits_0()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "--port", $"{port}", "--count", "3", "--interval", "10ms");
        await using var __ = ping;

        Assert.Equal(0, exit);
        var lines = ping.StandardOutput.Split('\n');
        Assert.Equal($"PING 127.0.0.1:{port} (127.0.0.1): 32-byte lines, 3 probes 10 ms apart", lines[0]);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Matches($@"^32 bytes from 127\.0\.0\.1:{port}: probe={i} connect={Ms} ms rtt={Ms} ms$", lines[i]);
        }

        Assert.Equal("", lines[4]);
        Assert.Equal($"--- 127.0.0.1:{port} ping statistics ---", lines[5]);
        Assert.Matches(@"^3 probes sent, 3 answered, 0 lost \(0% loss\), time ", lines[6]);
        Assert.Matches($"^rtt min/avg/max/p99 = {Ms}/{Ms}/{Ms}/{Ms} ms, jitter {Ms} ms$", lines[7]);
        Assert.Matches($"^connect min/avg/max = {Ms}/{Ms}/{Ms} ms$", lines[8]);
        Assert.Empty(ping.StandardError);
        await server.WaitForAsync(new Regex("Client 3 connected from 127.0.0.1"), ct, standardError: true);
    }

    [Fact]
    public async Task Endless_ping_piped_into_head_ends_when_head_does_like_on_SIGPIPE()
    {
        // .NET ignores a broken pipe on standard output; without care this would probe on for ever.
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        await using var piped = ParleyProcess.StartInShell(
            "{parley} | head -2; echo \"parley exited ${PIPESTATUS[0]}\"", "ping", "127.0.0.1", "-p", $"{port}", "-c", "0", "-i", "10ms");

        Assert.Equal(0, await piped.WaitForExitAsync(ct));
        var lines = piped.StandardOutput.Split('\n');
        Assert.StartsWith($"PING 127.0.0.1:{port} ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"32 bytes from 127.0.0.1:{port}: probe=1 ", lines[1], StringComparison.Ordinal);
        Assert.Equal("parley exited 141", lines[2]);
        Assert.Empty(piped.StandardError);
    }

    [Fact]
    public async Task Raw_probes_of_every_byte_value_come_back_from_a_raw_echo_server()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--raw");
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "2", "-i", "10ms", "--raw", "-s", "4096");
        await using var __ = ping;

        Assert.Equal(0, exit);
        Assert.Contains("4096 raw bytes", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(new Regex($"^4096 bytes from 127.0.0.1:{port}: probe=2 ", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("2 probes sent, 2 answered, 0 lost", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_framed_server_answers_with_framing_length_and_is_told_apart_without_it()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--framing", "length");
        await using var _ = server;

        var (framedExit, framed) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "1", "--framing", "length");
        var (lineExit, line) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "1");
        await using var __ = framed;
        await using var ___ = line;

        Assert.Equal(0, framedExit);
        Assert.Contains($"36 bytes from 127.0.0.1:{port}: probe=1", framed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, lineExit);
        Assert.Contains($"probe=1: 127.0.0.1:{port} closed the connection after 0 of 32 bytes of the echo", line.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 lost to closed by the server: ", line.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--framing length", line.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_refused_on_every_probe_with_a_hint_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        var port = EchoProcessTests.ClosedPort();

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "2", "-i", "10ms");
        await using var _ = ping;

        Assert.Equal(1, exit);
        Assert.Contains($"probe=1: cannot connect to 127.0.0.1:{port}: connection refused\n", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"probe=2: cannot connect to 127.0.0.1:{port}: connection refused\n", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 probes sent, 0 answered, 2 lost (100% loss)", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"2 lost to connection refused: the host answered, but nothing is listening on port {port}", ping.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("rtt", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unresolvable_name_is_one_error_line_and_exit_code_1()
    {
        var ct = TestTimeout.Token();

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "no-such-host.invalid");
        await using var _ = ping;

        Assert.Equal(1, exit);
        Assert.StartsWith("parley: cannot connect to no-such-host.invalid:9000: unknown host no-such-host.invalid", EchoProcessTests.ErrorLine(ping), StringComparison.Ordinal);
        Assert.Contains("check the spelling", ping.StandardError, StringComparison.Ordinal);
        Assert.Empty(ping.StandardOutput);
        EchoProcessTests.AssertNoStackTrace(ping.StandardError);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_times_out_as_no_echo()
    {
        var ct = TestTimeout.Token();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "1", "--reply-timeout", "300ms");
        await using var _ = ping;

        Assert.Equal(1, exit);
        Assert.Contains($"probe=1: connected to 127.0.0.1:{port}, but no echo came back within 300 ms", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 lost to no echo in time: ", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(new Regex($"^connect min/avg/max = {Ms}/", RegexOptions.Multiline), ping.StandardOutput);
    }

    [Fact]
    public async Task Json_output_is_one_object_with_every_probe_and_the_summary()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "2", "-i", "10ms", "--json");
        await using var __ = ping;

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(ping.StandardOutput);
        var root = json.RootElement;
        Assert.Equal($"127.0.0.1:{port}", root.GetProperty("target").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("addresses")[0].GetString());
        Assert.Equal("line", root.GetProperty("mode").GetString());
        Assert.Equal(2, root.GetProperty("probes").GetArrayLength());
        foreach (var probe in root.GetProperty("probes").EnumerateArray())
        {
            Assert.Equal("answered", probe.GetProperty("status").GetString());
            Assert.Equal($"127.0.0.1:{port}", probe.GetProperty("address").GetString());
            Assert.True(probe.GetProperty("rttMs").GetDouble() >= 0);
            Assert.True(probe.GetProperty("connectMs").GetDouble() >= 0);
            Assert.Equal(32, probe.GetProperty("bytesReceived").GetInt32());
            Assert.Equal(0, probe.GetProperty("skipped").GetArrayLength());
        }

        var summary = root.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("sent").GetInt32());
        Assert.Equal(2, summary.GetProperty("answered").GetInt32());
        Assert.Equal(0, summary.GetProperty("lost").GetInt32());
        Assert.False(summary.GetProperty("interrupted").GetBoolean());
        var rtt = summary.GetProperty("rttMs");
        Assert.True(rtt.GetProperty("min").GetDouble() <= rtt.GetProperty("p99").GetDouble());
        Assert.True(rtt.GetProperty("jitter").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Json_output_of_lost_probes_and_of_an_unknown_host_parses_too()
    {
        var ct = TestTimeout.Token();
        var port = EchoProcessTests.ClosedPort();

        var (lostExit, lost) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "-p", $"{port}", "-c", "1", "--json");
        var (unknownExit, unknown) = await ParleyProcess.RunAsync("", ct, "ping", "no-such-host.invalid", "--json");
        await using var _ = lost;
        await using var __ = unknown;

        Assert.Equal(1, lostExit);
        using var lostJson = JsonDocument.Parse(lost.StandardOutput);
        var probe = lostJson.RootElement.GetProperty("probes")[0];
        Assert.Equal("refused", probe.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, probe.GetProperty("rttMs").ValueKind);
        Assert.Contains("nothing is listening", probe.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, lostJson.RootElement.GetProperty("summary").GetProperty("rttMs").ValueKind);
        Assert.Equal("refused", lostJson.RootElement.GetProperty("summary").GetProperty("losses")[0].GetProperty("status").GetString());

        Assert.Equal(1, unknownExit);
        using var unknownJson = JsonDocument.Parse(unknown.StandardOutput);
        Assert.Equal("unknown-host", unknownJson.RootElement.GetProperty("error").GetProperty("status").GetString());
        Assert.Equal(0, unknownJson.RootElement.GetProperty("probes").GetArrayLength());
        Assert.StartsWith("parley: cannot connect to no-such-host.invalid:9000", EchoProcessTests.ErrorLine(unknown), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Ctrl_C_prints_the_summary_so_far_and_exits_0_when_something_was_answered(string signal)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var ping = ParleyProcess.Start("ping", "127.0.0.1", "-p", $"{port}", "--count", "0", "--interval", "20ms");
        await ping.WaitForAsync(new Regex("probe=2 "), ct);

        ping.Signal(signal);

        Assert.Equal(0, await ping.WaitForExitAsync(ct));
        Assert.Contains($"--- 127.0.0.1:{port} ping statistics ---", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^(\d+) probes sent, \1 answered, 0 lost \(0% loss\), time .*, interrupted$", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("until Ctrl+C", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "parley: host: give the name or address of the echo server")]
    [InlineData("localhost -4 -6", "parley: -4 and -6 do not go together: give one of them, or neither for both families")]
    [InlineData("::1 -4", "parley: -4: ::1 is not an IPv4 address")]
    [InlineData("127.0.0.1 -6", "parley: -6: 127.0.0.1 is not an IPv6 address")]
    [InlineData("localhost --size 0", "parley: --size: '0' is not a whole number from 1 to 1048576")]
    [InlineData("localhost --count -1", "parley: --count: '-1' is not a whole number from 0 to 2147483647")]
    [InlineData("localhost --interval 2000h", "parley: --interval: '2000h' is out of range: give a duration from 1 ms to 30 days")]
    [InlineData("localhost --interval soon", "parley: --interval: 'soon' is not a duration: use for example 500ms, 5s, 2m or 1h")]
    [InlineData("localhost --raw --framing length", "parley: --raw and --framing length do not go together: raw echo has no framing")]
    [InlineData("localhost --port 0", "parley: --port: 0 is out of range: a port is a whole number from 1 to 65535")]
    [InlineData("localhost:9000 --port 9001", "parley: host: 'localhost:9000' has a port already: give it there or with --port, not both")]
    [InlineData("localhost:http", "parley: host: 'localhost:http': 'http' is not a port: use a whole number from 1 to 65535")]
    [InlineData("[::1", "parley: host: '[::1' is not an address: write an IPv6 address with a port as [address]:port")]
    public async Task A_bad_argument_is_one_line_and_exit_code_2(string arguments, string expected)
    {
        var ct = TestTimeout.Token();

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, ["ping", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        await using var _ = ping;

        Assert.Equal(2, exit);
        Assert.Equal(expected, EchoProcessTests.ErrorLine(ping));
        Assert.Empty(ping.StandardOutput);
    }

    [Theory]
    [InlineData("127.0.0.1:{0}", "127.0.0.1:{0}")]
    [InlineData("[127.0.0.1]:{0}", "127.0.0.1:{0}")]
    public async Task The_port_can_come_with_the_host_as_in_the_listening_line(string host, string target)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", string.Format(host, port), "-c", "1");
        await using var __ = ping;

        Assert.Equal(0, exit);
        Assert.StartsWith($"PING {string.Format(target, port)} (127.0.0.1): ", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_option_with_its_default()
    {
        var ct = TestTimeout.Token();

        var (exit, help) = await ParleyProcess.RunAsync("", ct, "ping", "--help");
        await using var _ = help;

        Assert.Equal(0, exit);
        foreach (var option in new[] { "<host>", "--port", "--count", "--interval", "--size", "--raw", "--framing", "--json", "-4", "-6",
                     "--connect-timeout", "--reply-timeout", "--log-level" })
        {
            Assert.Contains(option, help.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 9000]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: 5]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: 32]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("exit code 0 when at least one probe was answered", help.StandardOutput, StringComparison.Ordinal);
    }
}
