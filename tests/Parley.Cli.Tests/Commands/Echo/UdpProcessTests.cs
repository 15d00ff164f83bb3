using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Echo;

/// <summary>The built <c>parley serve echo --udp</c> and <c>parley ping --udp</c>, as a user or a script runs them.</summary>
public sealed class UdpProcessTests
{
    private const string Ms = @"\d+\.\d{3}";

    [Fact]
    public async Task The_udp_echo_sends_every_datagram_back_logs_the_data_events_and_stops_on_the_console()
    {
        var ct = TestTimeout.Token();
        await using var server = ParleyProcess.Start("serve", "echo", "--udp", "--port", "0", "--host", "127.0.0.1");
        var port = await server.WaitForListeningPortAsync(ct);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendToAsync("hello\tthere\n"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, port), ct);
        var buffer = new byte[100];
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, ct);
        await server.WaitForAsync(new Regex("Sent 12 bytes to"), ct, standardError: true);
        await server.Input.WriteLineAsync("stop");
        await server.Input.FlushAsync(ct);

        Assert.Equal("hello\tthere\n", Encoding.UTF8.GetString(buffer, 0, n));
        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Equal($"Listening on 127.0.0.1:{port}\n", server.StandardOutput);
        var log = server.StandardError;
        Assert.Contains("Starting the echo server (UDP)", log, StringComparison.Ordinal);
        Assert.Contains("at most 1000 datagrams a second per address (bursts of 2000)", log, StringComparison.Ordinal);
        Assert.Contains($"INF Received 12 bytes from {client.LocalEndPoint}: \"hello\\tthere\\n\"", log, StringComparison.Ordinal);
        Assert.Contains($"INF Sent 12 bytes to {client.LocalEndPoint}", log, StringComparison.Ordinal);
        Assert.Contains("Stop requested by the server console", log, StringComparison.Ordinal);
        Assert.Contains("Echoed 1 datagrams; dropped 0 over the rate limit", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT", "Ctrl+C (SIGINT)")]
    [InlineData("TERM", "signal SIGTERM")]
    public async Task The_udp_echo_stops_on_a_signal(string signal, string named)
    {
        var ct = TestTimeout.Token();
        // --raw is accepted with --udp: the UDP echo is plain RFC 862 anyway.
        await using var server = ParleyProcess.Start("serve", "echo", "--udp", "--raw", "--port", "0", "--host", "127.0.0.1");
        await server.WaitForListeningPortAsync(ct);

        server.Signal(signal);

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains($"Stop requested by {named}", server.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve echo --udp --framing length", "parley: --framing applies to TCP only: leave it out with --udp")]
    [InlineData("serve echo --udp --tls", "parley: --tls applies to TCP only: leave it out with --udp")]
    [InlineData("serve echo --udp --chunk-size 10", "parley: --chunk-size applies to TCP only: leave it out with --udp")]
    [InlineData("serve echo --udp --allow-stop any", "parley: --allow-stop applies to TCP only: leave it out with --udp")]
    [InlineData("serve echo --udp --idle-timeout 5s", "parley: --idle-timeout applies to TCP only: leave it out with --udp")]
    [InlineData("serve echo --rate-per-address 10", "parley: --rate-per-address applies with --udp only")]
    [InlineData("serve echo --udp --rate-per-address -1", "parley: --rate-per-address: '-1' is not a whole number from 0 to 10000000")]
    [InlineData("ping localhost --udp --raw", "parley: --raw applies to TCP only: leave it out with --udp")]
    [InlineData("ping localhost --udp --framing length", "parley: --framing applies to TCP only: leave it out with --udp")]
    [InlineData("ping localhost --udp --tls", "parley: --tls applies to TCP only: leave it out with --udp")]
    [InlineData("ping localhost --udp --connect-timeout 1s", "parley: --connect-timeout applies to TCP only: leave it out with --udp")]
    [InlineData("ping localhost --udp --size 23", "parley: --size: with --udp, give a whole number from 24 (the probe's header) to 65507 (the largest UDP datagram)")]
    [InlineData("ping localhost --udp --size 65508", "parley: --size: with --udp, give a whole number from 24 (the probe's header) to 65507 (the largest UDP datagram)")]
    public async Task An_option_that_does_not_apply_over_udp_is_one_line_and_exit_code_2(string arguments, string expected)
    {
        var ct = TestTimeout.Token();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, arguments.Split(' '));
        await using var _ = process;

        Assert.Equal(2, exit);
        Assert.Equal(expected, EchoProcessTests.ErrorLine(process));
        Assert.Empty(process.StandardOutput);
    }

    [Fact]
    public async Task Pinging_the_udp_echo_prints_a_line_per_probe_and_the_udp_summary_and_exits_0()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "127.0.0.1", "--port", $"{port}", "--count", "3", "--interval", "10ms");
        await using var __ = ping;

        Assert.Equal(0, exit);
        var lines = ping.StandardOutput.Split('\n');
        Assert.Equal($"PING 127.0.0.1:{port} over UDP (127.0.0.1): 64-byte datagrams, 3 probes 10 ms apart, reply timeout 1.0 s", lines[0]);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Matches($@"^64 bytes from 127\.0\.0\.1:{port}: probe={i} rtt={Ms} ms$", lines[i]);
        }

        Assert.Equal("", lines[4]);
        Assert.Equal($"--- 127.0.0.1:{port} UDP ping statistics ---", lines[5]);
        Assert.Matches(@"^3 probes sent, 3 received, 0 lost \(0% loss\), 0 late, 0 duplicates, 0 reordered, 0 corrupted, 0 foreign, time ", lines[6]);
        Assert.Matches($"^rtt min/avg/max/mdev = {Ms}/{Ms}/{Ms}/{Ms} ms, p50/p99 = {Ms}/{Ms} ms$", lines[7]);
        Assert.Matches($@"^interarrival jitter \(RFC 3550\) = {Ms} ms$", lines[8]);
        Assert.Empty(ping.StandardError);
    }

    [Fact]
    public async Task Json_gives_every_probe_and_the_udp_summary_for_scripts()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await using var _ = server;

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "127.0.0.1", "-p", $"{port}", "-c", "2", "-i", "10ms", "--size", "100", "--json");
        await using var __ = ping;

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(ping.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(("udp", 100, 1000.0), (root.GetProperty("transport").GetString(), root.GetProperty("size").GetInt32(), root.GetProperty("replyTimeoutMs").GetDouble()));
        var probe = root.GetProperty("probes")[1];
        Assert.Equal((2, "answered", 100, 0, false), (probe.GetProperty("probe").GetInt32(), probe.GetProperty("status").GetString(),
            probe.GetProperty("bytesReceived").GetInt32(), probe.GetProperty("duplicates").GetInt32(), probe.GetProperty("reordered").GetBoolean()));
        var summary = root.GetProperty("summary");
        foreach (var (name, value) in new[] { ("sent", 2), ("received", 2), ("lost", 0), ("late", 0), ("duplicates", 0), ("reordered", 0), ("corrupted", 0), ("foreign", 0), ("inFlight", 0) })
        {
            Assert.Equal(value, summary.GetProperty(name).GetInt32());
        }

        foreach (var name in new[] { "min", "avg", "max", "mdev", "p50", "p99" })
        {
            Assert.True(summary.GetProperty("rttMs").GetProperty(name).GetDouble() > 0, name);
        }

        Assert.Equal(JsonValueKind.Number, summary.GetProperty("interarrivalJitterMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task A_port_where_nothing_listens_is_named_and_the_ping_exits_1()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await server.DisposeAsync();

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "127.0.0.1", "-p", $"{port}", "-c", "2", "-i", "10ms");
        await using var _ = ping;

        Assert.Equal(1, exit);
        Assert.Contains($"probe=1: nothing listens on UDP port {port} there\n", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 probes sent, 0 received, 2 lost (100% loss)", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"2 lost to port unreachable: the host answered that no program receives on UDP port {port} (ICMP port unreachable)", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_is_one_line_and_in_json_an_error_for_scripts()
    {
        var ct = TestTimeout.Token();

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "no-such-host.invalid", "-c", "1");
        var (jsonExit, json) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "no-such-host.invalid", "-c", "1", "--json");
        await using var _ = ping;
        await using var __ = json;

        Assert.Equal((1, 1), (exit, jsonExit));
        Assert.StartsWith("parley: cannot connect to no-such-host.invalid:9000: unknown host no-such-host.invalid", EchoProcessTests.ErrorLine(ping), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("unknown-host", document.RootElement.GetProperty("error").GetProperty("status").GetString());
        Assert.Equal("udp", document.RootElement.GetProperty("transport").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("summary").ValueKind);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Ctrl_C_prints_the_udp_summary_so_far_and_exits_0_when_something_was_received(string signal)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await using var _ = server;
        await using var ping = ParleyProcess.Start("ping", "--udp", "127.0.0.1", "-p", $"{port}", "--count", "0", "--interval", "20ms");
        await ping.WaitForAsync(new Regex("probe=2 "), ct);

        ping.Signal(signal);

        Assert.Equal(0, await ping.WaitForExitAsync(ct));
        Assert.Contains($"--- 127.0.0.1:{port} UDP ping statistics ---", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^(\d+) probes sent, \1 received, 0 lost \(0% loss\), .*, interrupted$", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("until Ctrl+C", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endless_udp_ping_piped_into_head_ends_when_head_does()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await using var _ = server;

        await using var piped = ParleyProcess.StartInShell(
            "{parley} | head -2; echo \"parley exited ${PIPESTATUS[0]}\"", "ping", "--udp", "127.0.0.1", "-p", $"{port}", "-c", "0", "-i", "10ms");

        Assert.Equal(0, await piped.WaitForExitAsync(ct));
        var lines = piped.StandardOutput.Split('\n');
        Assert.StartsWith($"64 bytes from 127.0.0.1:{port}: probe=1 ", lines[1], StringComparison.Ordinal);
        Assert.Equal("parley exited 141", lines[2]);
    }

    [SocatFact]
    public async Task Pinging_a_udp_echo_that_parley_did_not_write_works_the_same()
    {
        var ct = TestTimeout.Token();
        await using var socat = await SocatUdpEcho.StartAsync(ct);

        var (exit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "127.0.0.1", "-p", $"{socat.Port}", "-c", "3", "-i", "50ms", "--size", "1400");
        await using var _ = ping;

        Assert.True(exit == 0, ping.StandardOutput + ping.StandardError);
        Assert.Matches($@"^1400 bytes from 127\.0\.0\.1:{socat.Port}: probe=3 rtt={Ms} ms$", ping.StandardOutput.Split('\n')[3]);
        Assert.Contains("3 probes sent, 3 received, 0 lost (0% loss), 0 late, 0 duplicates, 0 reordered, 0 corrupted, 0 foreign", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_flood_from_one_address_the_echo_keeps_serving_another_reports_drops_once_a_second_and_stays_small()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--udp");
        await using var _ = server;
        var target = new IPEndPoint(IPAddress.Loopback, port);
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var datagram = new byte[1000];
        var started = DateTime.UtcNow;

        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < 200_000; i++)
            {
                await flooder.SendToAsync(datagram, target, ct);
            }
        }, ct);
        var (pingExit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--udp", "127.0.0.1", "-p", $"{port}", "-c", "20", "-i", "20ms");
        await using var __ = ping;
        await flooding;
        await server.WaitForAsync(new Regex("Dropped \\d+ datagrams over the rate limit"), ct, standardError: true);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        // Another address (127.0.0.1, the flooder is 127.0.0.2) is served: its own budget, not the flooder's.
        Assert.True(pingExit == 0, ping.StandardOutput);
        Assert.Matches(@"20 probes sent, (1\d|20) received", ping.StandardOutput);
        var reports = Regex.Matches(server.StandardError, @"Dropped (\d+) datagrams over the rate limit of 1000 a second per address \(bursts of 2000\) in the last .*, from 1 addresses; most from 127\.0\.0\.2: \1");
        Assert.InRange(reports.Count, 1, (int)Math.Ceiling(seconds) + 1);
        Assert.InRange(server.PeakResidentKiB(), 0, 150 * 1024);
    }

    [Fact]
    public async Task Help_lists_the_udp_options_with_their_defaults()
    {
        var ct = TestTimeout.Token();

        var (serveExit, serve) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--help");
        var (pingExit, ping) = await ParleyProcess.RunAsync("", ct, "ping", "--help");
        await using var _ = serve;
        await using var __ = ping;

        Assert.Equal((0, 0), (serveExit, pingExit));
        Assert.Matches(@"--udp\s+Serve RFC 862 echo over UDP", serve.StandardOutput);
        Assert.Matches(@"--rate-per-address <n>\s+With --udp: .*\[default: 1000\]", serve.StandardOutput);
        Assert.Matches(@"--udp\s+Probe a UDP echo", ping.StandardOutput);
        Assert.Matches(@"--size <bytes>\s+.*with --udp, the whole datagram, from 24 to 65507 \(default 64\)", ping.StandardOutput);
        Assert.Matches(@"--reply-timeout <duration>\s+.*with --udp, for each probe's reply \(default 1.0 s;", ping.StandardOutput);
    }
}
