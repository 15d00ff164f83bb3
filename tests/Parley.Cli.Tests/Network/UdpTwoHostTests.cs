using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Network;

/// <summary>
/// The UDP echo and the UDP ping on two network hosts (namespaces linked by a veth pair): what gets through, and how
/// each way of failing is told apart when it does not.
/// </summary>
public sealed class UdpTwoHostTests
{
    private const string Server = TwoHosts.ServerAddress;

    [TwoHostFact]
    public async Task The_udp_echo_on_every_interface_answers_the_udp_ping_from_the_other_host_over_ipv4_and_ipv6()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--udp", "--port", "0");
        var port = await server.WaitForListeningPortAsync(ct);

        var (pingExit, ping) = await hosts.RunOnClientAsync("", ct, "ping", "--udp", Server, "--port", $"{port}", "--count", "3", "--interval", "50ms");
        var (ping6Exit, ping6) = await hosts.RunOnClientAsync("", ct, "ping", "--udp", TwoHosts.ServerAddress6, "--port", $"{port}", "--count", "1", "--size", "1200");
        await using var _ = ping;
        await using var __ = ping6;

        Assert.True(pingExit == 0, ping.StandardOutput + ping.StandardError);
        Assert.Matches(new Regex($@"^64 bytes from {Regex.Escape(Server)}:{port}: probe=3 rtt=", RegexOptions.Multiline), ping.StandardOutput);
        Assert.Contains("3 probes sent, 3 received, 0 lost (0% loss), 0 late, 0 duplicates, 0 reordered, 0 corrupted, 0 foreign", ping.StandardOutput, StringComparison.Ordinal);
        Assert.True(ping6Exit == 0, ping6.StandardOutput + ping6.StandardError);
        Assert.Contains($"1200 bytes from [{TwoHosts.ServerAddress6}]:{port}: probe=1 rtt=", ping6.StandardOutput, StringComparison.Ordinal);
        // The data events name the other host, as the TCP echo's do.
        await server.WaitForAsync(new Regex($@"INF Received 64 bytes from {Regex.Escape(TwoHosts.ClientAddress)}:\d+: "), ct, standardError: true);
        await server.WaitForAsync(new Regex($@"INF Sent 64 bytes to {Regex.Escape(TwoHosts.ClientAddress)}:\d+"), ct, standardError: true);
    }

    [TwoHostFact]
    public async Task A_udp_echo_bound_to_127_0_0_1_is_not_reachable_from_the_other_host_and_the_ping_says_nothing_listens()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await using var server = hosts.StartOnServer("serve", "echo", "--udp", "--port", "0", "--host", "127.0.0.1");
        var port = await server.WaitForListeningPortAsync(ct);

        var (localExit, local) = await hosts.RunOnServerAsync("", ct, "ping", "--udp", "127.0.0.1", "--port", $"{port}", "--count", "1");
        var (remoteExit, remote) = await hosts.RunOnClientAsync("", ct, "ping", "--udp", Server, "--port", $"{port}", "--count", "2", "--interval", "50ms");
        await using var _ = local;
        await using var __ = remote;

        Assert.Equal(0, localExit);
        Assert.Equal(1, remoteExit);
        Assert.Contains($"probe=1: nothing listens on UDP port {port} there\n", remote.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 probes sent, 0 received, 2 lost (100% loss)", remote.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 lost to port unreachable: ", remote.StandardOutput, StringComparison.Ordinal);
        Assert.False(server.HasExited);
    }

    [TwoHostFact]
    public async Task A_silent_host_and_an_unrouted_network_are_told_apart_over_udp()
    {
        var ct = TestTimeout.Token();
        await using var hosts = await TwoHosts.CreateAsync(ct);
        await hosts.AddSilentHostAsync("10.231.0.9", ct);

        var silent = hosts.RunOnClientAsync("", ct, "ping", "--udp", "10.231.0.9", "--count", "2", "--interval", "50ms", "--reply-timeout", "300ms");
        var unrouted = hosts.RunOnClientAsync("", ct, "ping", "--udp", "10.99.0.1", "--count", "1");
        var (silentExit, silentPing) = await silent;
        var (unroutedExit, unroutedPing) = await unrouted;
        await using var _ = silentPing;
        await using var __ = unroutedPing;

        Assert.Equal((1, 1), (silentExit, unroutedExit));
        // A firewall that drops, or a host that is down, looks the same over UDP: nothing comes back.
        Assert.Contains("probe=1: no reply within 300 ms\n", silentPing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2 lost to no reply in time: no reply came back: the probe or its echo was lost on the way (UDP is never resent), "
            + "the server is not a UDP echo, or a firewall drops UDP silently", silentPing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("probe=1: network unreachable\n", unroutedPing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 lost to no route: the network has no way to the host", unroutedPing.StandardOutput, StringComparison.Ordinal);
    }
}
