using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Logging;

/// <summary>
/// The lab's service messages include "data received from the client" and "data sent to the client": every server
/// shows them on its console by default, with no option; <c>--quiet</c> turns them off for load; the dialog servers
/// show the message type and size only, never the text, which may be a password.
/// </summary>
public sealed class DataEventTests
{
    [Fact]
    public async Task The_echo_server_shows_what_it_received_and_sent_without_any_option()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, client) = await ParleyProcess.RunAsync("Привет, мир\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}");
        await using var __ = client;

        Assert.Equal(0, exit);
        await server.WaitForAsync(new Regex(@" INF Received 21 bytes from client 1: ""Привет, мир\\n""$", RegexOptions.Multiline), ct, standardError: true);
        await server.WaitForAsync(new Regex(@" INF Sent 21 bytes to client 1$", RegexOptions.Multiline), ct, standardError: true);
        Assert.Contains(" INF Sent 21 bytes to the server", client.StandardError, StringComparison.Ordinal);
        Assert.Contains(" INF Received 21 bytes from the server", client.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--raw")]
    [InlineData("--framing", "length")]
    public async Task The_raw_and_framed_echo_servers_show_their_data_events_too(params string[] mode)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, mode);
        await using var _ = server;
        var framed = mode.Contains("length");

        using (var client = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            byte[] payload = framed ? [0, 0, 0, 5, .. "hello"u8] : [.. "hello"u8];
            await client.SendAsync(payload, SocketFlags.None, ct);
            var back = new byte[payload.Length];
            var got = 0;
            while (got < back.Length)
            {
                got += await client.ReceiveAsync(back.AsMemory(got), SocketFlags.None, ct);
            }
        }

        var (received, sent) = framed
            ? (@"Received a message of 5 bytes from client 1: ""hello""", "Sent a message of 5 bytes to client 1")
            : (@"Received 5 bytes from client 1: ""hello""", "Sent 5 bytes to client 1");
        await server.WaitForAsync(new Regex(" INF " + Regex.Escape(received)), ct, standardError: true);
        await server.WaitForAsync(new Regex(" INF " + Regex.Escape(sent)), ct, standardError: true);
    }

    [Fact]
    public async Task Quiet_turns_the_data_events_off_but_keeps_warnings()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "-q");
        await using var _ = server;

        var (exit, client) = await ParleyProcess.RunAsync("hello\nstop\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}");
        await using var __ = client;

        Assert.Equal(0, exit);
        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.DoesNotContain("Received", server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(" INF ", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_and_log_level_together_are_a_usage_error()
    {
        var ct = TestTimeout.Token();

        var (exit, server) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--port", "0", "-q", "--log-level", "debug");
        await using var _ = server;

        Assert.Equal(2, exit);
        Assert.Contains("--quiet and --log-level say the same thing: give one of them", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_auth_server_shows_each_message_type_and_size_but_never_the_password()
    {
        var ct = TestTimeout.Token();
        using var folder = new TempFolder("parley-cli-db-");
        var db = folder.Combine("parley.db");
        var (server, port) = await DialogServerProcess.StartAsync("auth", db, ct);
        await using var _ = server;
        const string password = "Tr0ub4dour&3-horse";
        var sessions = folder.Combine("sessions.json");

        var (exit, client) = await ParleyProcess.RunAsync($"dora\n{password}\n{password}\nexit\n", ct,
            "client", "auth", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", sessions);
        await using var __ = client;

        Assert.Equal(0, exit);
        await server.WaitForAsync(new Regex(@" INF Received answer \(\d+ bytes\) from client 1$", RegexOptions.Multiline), ct, standardError: true);
        await server.WaitForAsync(new Regex(@" INF Sent ask \(\d+ bytes\) to client 1$", RegexOptions.Multiline), ct, standardError: true);
        server.Signal("TERM");
        await server.WaitForExitAsync(ct);
        Assert.DoesNotContain(password, server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(password, client.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chat_server_shows_each_datagram_received_and_sent()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Long enough for the server's "join first" answer to fit: no reply is larger than what caused it.
        const string text = "hello, is anybody there? I have not joined, so tell me how to.";
        await peer.SendToAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, new IPEndPoint(IPAddress.Loopback, port), ct);
        var reply = new byte[2048];
        var got = await peer.ReceiveFromAsync(reply, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);

        await server.WaitForAsync(new Regex($@" INF Received {text.Length} bytes from 127\.0\.0\.1:\d+: ""hello, is anybody there\? I have not"), ct, standardError: true);
        await server.WaitForAsync(new Regex($@" INF Sent {got.ReceivedBytes} bytes to 127\.0\.0\.1:\d+$", RegexOptions.Multiline), ct, standardError: true);
    }
}
