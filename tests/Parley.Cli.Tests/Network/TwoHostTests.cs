using System.Text.RegularExpressions;
using Parley.Cli.Tests.Commands.Echo;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Network;

/// <summary>
/// Server and client on two different network hosts (namespaces linked by a veth pair), as when a server is reached
/// from a virtual or remote machine: what is reachable from the other host, and what is not.
/// </summary>
public sealed class TwoHostTests
{
    private const string Server = TwoHosts.ServerAddress;

    [TwoHostFact]
    public async Task A_server_bound_to_every_interface_is_reachable_from_the_other_host()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--port", "0");
        var port = await server.WaitForListeningPortAsync(ct);

        var (echoExit, echo) = await hosts.RunOnClientAsync("hello from the other host\n", ct, "client", "--host", Server, "--port", $"{port}");
        var (pingExit, ping) = await hosts.RunOnClientAsync("", ct, "ping", Server, "--port", $"{port}", "--count", "3", "--interval", "50ms");
        var (ping6Exit, ping6) = await hosts.RunOnClientAsync("", ct, "ping", TwoHosts.ServerAddress6, "--port", $"{port}", "--count", "1");
        await using var _ = echo;
        await using var __ = ping;
        await using var ___ = ping6;

        // The Listening line and the start log name the address the other host reaches, and loopback.
        Assert.Contains($"{Server}:{port}", server.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", server.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"[{TwoHosts.ServerAddress6}]:{port}", server.StandardOutput, StringComparison.Ordinal);
        // Log lines reach standard error asynchronously: wait for them rather than assert at once.
        await server.WaitForAsync(new Regex($@"Listening for echo clients on \[::\]:{port}, reachable at .*{Regex.Escape(Server)}:{port}"), ct, standardError: true);

        Assert.Equal(0, echoExit);
        Assert.Equal("hello from the other host\n", echo.StandardOutput);
        Assert.Contains($"Connected to {Server}:{port} at {Server}:{port}", echo.StandardError, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex($"connected from {Regex.Escape(TwoHosts.ClientAddress)}:"), ct, standardError: true);

        Assert.Equal(0, pingExit);
        Assert.Matches(new Regex($@"^32 bytes from {Regex.Escape(Server)}:{port}: probe=3 ", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("3 probes sent, 3 answered, 0 lost (0% loss)", ping.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, ping6Exit);
        Assert.Contains($"32 bytes from [{TwoHosts.ServerAddress6}]:{port}: probe=1 ", ping6.StandardOutput, StringComparison.Ordinal);
    }

    [TwoHostFact]
    public async Task The_identification_server_knows_the_other_host_by_its_own_address()
    {
        var ct = TestTimeout.Token();
        using var folder = new TempFolder("parley-cli-db-");
        var database = folder.Combine("parley.db");
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "ident", "--port", "0", "--db", database);
        var port = await server.WaitForListeningPortAsync(ct);

        var (firstExit, first) = await hosts.RunOnClientAsync("Remote Rita\nexit\n", ct, "client", "ident", "--host", Server, "--port", $"{port}");
        var (localExit, local) = await hosts.RunOnServerAsync("Local Lena\nexit\n", ct, "client", "ident", "--host", "127.0.0.1", "--port", $"{port}");
        var (againExit, again) = await hosts.RunOnClientAsync("exit\n", ct, "client", "ident", "--host", Server, "--port", $"{port}");
        await using var _ = first;
        await using var __ = local;
        await using var ___ = again;
        var (listExit, list) = await ParleyProcess.RunAsync("", ct, "ident", "list", "--db", database);
        await using var ____ = list;

        string Story() => $"first ({firstExit}):\n{first.StandardOutput}{first.StandardError}\nlocal ({localExit}):\n{local.StandardOutput}" +
            $"{local.StandardError}\nagain ({againExit}):\n{again.StandardOutput}{again.StandardError}\nlist:\n{list.StandardOutput}{list.StandardError}\n" +
            $"server:\n{server.StandardError}";
        Assert.True(firstExit == 0 && first.StandardOutput.Contains($"Nice to meet you, Remote Rita. I will know you by your address {TwoHosts.ClientAddress}", StringComparison.Ordinal), Story());
        Assert.True(localExit == 0 && local.StandardOutput.Contains("I will know you by your address 127.0.0.1", StringComparison.Ordinal), Story());
        Assert.True(againExit == 0 && again.StandardOutput.Contains("Welcome back, Remote Rita!", StringComparison.Ordinal), Story());
        Assert.True(listExit == 0 && list.StandardOutput.Contains(TwoHosts.ClientAddress, StringComparison.Ordinal)
            && list.StandardOutput.Contains("Remote Rita", StringComparison.Ordinal) && list.StandardOutput.Contains("Local Lena", StringComparison.Ordinal), Story());
    }

    [TwoHostFact]
    public async Task A_server_bound_to_127_0_0_1_is_not_reachable_from_the_other_host_and_the_client_says_so()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--port", "0", "--host", "127.0.0.1");
        var port = await server.WaitForListeningPortAsync(ct);

        var (localExit, local) = await hosts.RunOnServerAsync("on the same host\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}");
        var (remoteExit, remote) = await hosts.RunOnClientAsync("from the other host\n", ct, "client", "--host", Server, "--port", $"{port}");
        var (pingExit, ping) = await hosts.RunOnClientAsync("", ct, "ping", Server, "--port", $"{port}", "--count", "2", "--interval", "50ms");
        await using var _ = local;
        await using var __ = remote;
        await using var ___ = ping;

        Assert.Equal($"Listening on 127.0.0.1:{port}\n", server.StandardOutput);
        Assert.Equal(0, localExit);
        Assert.Equal("on the same host\n", local.StandardOutput);

        Assert.Equal(1, remoteExit);
        Assert.Equal(
            $"parley: cannot connect to {Server}:{port}: connection refused (the host answered, but nothing is listening on port {port}: "
            + "is the server running, on this port and this address?)",
            EchoProcessTests.ErrorLine(remote));
        Assert.Empty(remote.StandardOutput);

        Assert.Equal(1, pingExit);
        Assert.Contains($"probe=1: cannot connect to {Server}:{port}: connection refused", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 probes sent, 0 answered, 2 lost (100% loss)", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 lost to connection refused: the host answered, but nothing is listening", ping.StandardOutput, StringComparison.Ordinal);
        Assert.False(server.HasExited);
    }

    [TwoHostFact]
    public async Task A_silent_host_an_absent_host_and_an_unrouted_network_are_told_apart()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await hosts.AddSilentHostAsync("10.231.0.9", ct);

        var silent = hosts.RunOnClientAsync("", ct, "ping", "10.231.0.9", "--count", "1", "--connect-timeout", "1s");
        var absent = hosts.RunOnClientAsync("", ct, "ping", "10.231.0.10", "--count", "1", "--connect-timeout", "30s");
        var unrouted = hosts.RunOnClientAsync("", ct, "ping", "10.99.0.1", "--count", "1");
        var (silentExit, silentPing) = await silent;
        var (absentExit, absentPing) = await absent;
        var (unroutedExit, unroutedPing) = await unrouted;

        Assert.Equal((1, 1, 1), (silentExit, absentExit, unroutedExit));
        Assert.Contains("probe=1: cannot connect to 10.231.0.9:9000: timed out after 1.0 s", silentPing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 lost to connect timed out: no answer at all: the host may be down, or a firewall may be dropping the packets",
            silentPing.StandardOutput, StringComparison.Ordinal);
        // Nobody answers the neighbour (ARP) requests for an address on the link.
        Assert.Contains("probe=1: cannot connect to 10.231.0.10:9000: no route to host\n", absentPing.StandardOutput, StringComparison.Ordinal);
        // No route at all leads to that network.
        Assert.Contains("probe=1: cannot connect to 10.99.0.1:9000: network unreachable\n", unroutedPing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 lost to no route: the network has no way to the host", unroutedPing.StandardOutput, StringComparison.Ordinal);
    }

    [TwoHostFact]
    public async Task Stop_from_the_other_host_is_refused_under_allow_stop_local_and_echoed_as_data()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--port", "0", "--allow-stop", "local");
        var port = await server.WaitForListeningPortAsync(ct);

        var (stopExit, stop) = await hosts.RunOnClientAsync("stop\n", ct, "client", "--host", Server, "--port", $"{port}");
        await using var _ = stop;
        await server.WaitForAsync(new Regex("Client 1 .* disconnected"), ct, standardError: true);
        var (laterExit, later) = await hosts.RunOnClientAsync("still there?\n", ct, "client", "--host", Server, "--port", $"{port}");
        await using var __ = later;

        Assert.Equal(1, stopExit);
        Assert.Equal("stop\n", stop.StandardOutput);
        Assert.Contains("stop came back as data", stop.StandardError, StringComparison.Ordinal);
        Assert.Matches(
            $@"WRN Client 1 \({Regex.Escape(TwoHosts.ClientAddress)}:\d+\) asked to stop the server; refused by the stop policy 'Local', the line is treated as data",
            server.StandardError);
        Assert.Equal(0, laterExit);
        Assert.Equal("still there?\n", later.StandardOutput);
        Assert.False(server.HasExited);
        Assert.DoesNotContain("Stop requested", server.StandardError, StringComparison.Ordinal);
    }

    [TwoHostFact]
    public async Task Stop_from_the_other_host_stops_the_server_under_allow_stop_any()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--port", "0", "--allow-stop", "any");
        var port = await server.WaitForListeningPortAsync(ct);

        var (stopExit, stop) = await hosts.RunOnClientAsync("bye\nstop\n", ct, "client", "--host", Server, "--port", $"{port}");
        await using var _ = stop;

        Assert.Equal(0, stopExit);
        Assert.Equal("bye\n", stop.StandardOutput);
        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains("Stop requested by client 1", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [TwoHostFact]
    public async Task A_name_with_several_addresses_is_tried_in_the_resolvers_order_and_the_reached_one_named()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        // First the client host's own address, where nothing listens (refused at once), then the server's: the
        // resolver keeps that order (the own address also matches the source address longest, RFC 6724 rule 9).
        hosts.SetClientHostsFile($"127.0.0.1 localhost\n{TwoHosts.ClientAddress} parley-peer\n{Server} parley-peer\n");
        await using var server = hosts.StartOnServer("serve", "echo", "--port", "0");
        var port = await server.WaitForListeningPortAsync(ct);

        var (echoExit, echo) = await hosts.RunOnClientAsync("hi\n", ct, "client", "--host", "parley-peer", "--port", $"{port}");
        var (pingExit, ping) = await hosts.RunOnClientAsync("", ct, "ping", "parley-peer", "--port", $"{port}", "--count", "2", "--interval", "50ms");
        var (v6Exit, v6) = await hosts.RunOnClientAsync("", ct, "ping", "parley-peer", "--port", $"{port}", "-6");
        await using var _ = echo;
        await using var __ = ping;
        await using var ___ = v6;

        Assert.Equal(0, echoExit);
        Assert.Equal("hi\n", echo.StandardOutput);
        Assert.Contains($"Could not reach {TwoHosts.ClientAddress}:{port}: connection refused; trying the next address", echo.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Connected to parley-peer:{port} at {Server}:{port}", echo.StandardError, StringComparison.Ordinal);

        Assert.Equal(0, pingExit);
        Assert.StartsWith($"PING parley-peer:{port} ({TwoHosts.ClientAddress}, {Server}): ", ping.StandardOutput, StringComparison.Ordinal);
        // The first probe passes over the refused address and says so; the next ones stay with the address reached.
        Assert.Matches(
            new Regex($@"^32 bytes from {Regex.Escape(Server)}:{port}: probe=1 connect=.* ms \(after {Regex.Escape(TwoHosts.ClientAddress)}:{port}: connection refused\)$",
                RegexOptions.Multiline),
            ping.StandardOutput);
        Assert.Matches(new Regex($@"^32 bytes from {Regex.Escape(Server)}:{port}: probe=2 connect=\S+ ms rtt=\S+ ms$", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("2 probes sent, 2 answered", ping.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(1, v6Exit);
        Assert.Equal(
            $"parley: cannot connect to parley-peer:{port}: unknown host parley-peer: it has no IPv6 address (drop -4/-6 to use the addresses it has)",
            EchoProcessTests.ErrorLine(v6));
    }
}
