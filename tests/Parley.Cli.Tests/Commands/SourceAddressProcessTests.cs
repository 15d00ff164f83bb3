using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands;

/// <summary><c>--source ADDRESS</c> on the clients (issue 16): the server sees the connection come from that address.</summary>
public sealed class SourceAddressProcessTests
{
    [Fact]
    public async Task The_echo_client_ping_and_bench_connect_from_the_source_address_given()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (client, clientRun) = await ParleyProcess.RunAsync("hi\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}", "--source", "127.0.0.2");
        var (ping, pingRun) = await ParleyProcess.RunAsync("", ct, "ping", "127.0.0.1", "--port", $"{port}", "-c", "1", "--source", "127.0.0.4");
        var (bench, benchRun) = await ParleyProcess.RunAsync("", ct,
            "bench", "127.0.0.1", "--port", $"{port}", "-d", "200ms", "--warmup", "0", "--source", "127.0.0.5");
        await using var __ = clientRun;
        await using var ___ = pingRun;
        await using var ____ = benchRun;

        Assert.Equal(0, client);
        Assert.Equal("hi\n", clientRun.StandardOutput);
        Assert.Equal(0, ping);
        Assert.Equal(0, bench);
        foreach (var address in new[] { "127.0.0.2", "127.0.0.4", "127.0.0.5" })
        {
            await server.WaitForAsync(new Regex($@"connected from {Regex.Escape(address)}:\d+"), ct, standardError: true);
        }
    }

    [Fact]
    public async Task The_chat_client_sends_from_the_source_address_given()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, chat) = await ParleyProcess.RunAsync("/quit\n", ct,
            "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "sourced", "--source", "127.0.0.6");
        await using var __ = chat;

        Assert.Equal(0, exit);
        await server.WaitForAsync(new Regex(@"127\.0\.0\.6:\d+"), ct, standardError: true);
    }

    [Theory]
    [InlineData("10.255.255.1", "--source: 10.255.255.1 is not an address of this machine")]
    [InlineData("nowhere", "--source: 'nowhere' is not an IP address")]
    [InlineData("::1", "--source: ::1 is an IPv6 address and cannot reach the IPv4 address 127.0.0.1")]
    public async Task A_source_address_that_cannot_be_used_is_one_line_and_exit_code_2(string source, string error)
    {
        var ct = TestTimeout.Token();

        var (exit, client) = await ParleyProcess.RunAsync("", ct, "client", "ident", "--host", "127.0.0.1", "--port", "9", "--source", source);
        await using var _ = client;

        Assert.Equal(2, exit);
        Assert.StartsWith($"parley: {error}", client.StandardError, StringComparison.Ordinal);
        Assert.Empty(client.StandardOutput);
    }
}
