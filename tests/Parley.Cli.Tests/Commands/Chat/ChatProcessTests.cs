using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Commands.Echo;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Chat;

/// <summary>The built <c>parley serve chat</c> and <c>parley chat</c>, as people run them.</summary>
public sealed class ChatProcessTests
{
    private static ParleyProcess Chat(int port, string nick, params string[] extra) =>
        ParleyProcess.Start(["chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", nick, .. extra]);

    private static async Task Type(ParleyProcess process, string line, CancellationToken ct)
    {
        await process.Input.WriteLineAsync(line);
        await process.Input.FlushAsync(ct);
    }

    private static Regex Line(string text) => new($"^{Regex.Escape(text)}$", RegexOptions.Multiline);

    [Fact]
    public async Task Two_people_chat_with_text_on_standard_output_and_service_messages_on_standard_error()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);

        var (bobExit, bob) = await ParleyProcess.RunAsync("hello alice\n/msg alice just for you\n/who\n", ct,
            "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "bob");
        await using var __ = bob;
        await alice.WaitForAsync(Line("* bob left"), ct);
        await Type(alice, "/quit", ct);

        Assert.Equal(0, bobExit);
        Assert.Equal(0, await alice.WaitForExitAsync(ct));
        Assert.Equal("* you joined as alice (1 member)\n* bob joined\n<bob> hello alice\n[bob -> you] just for you\n* bob left\n", alice.StandardOutput);
        Assert.Equal("* you joined as bob (2 members)\n* members (2): alice, bob\n", bob.StandardOutput);
        Assert.Contains($"Joined the chat at 127.0.0.1:{port} as bob", bob.StandardError, StringComparison.Ordinal);
        Assert.Contains("Sent 11 bytes to the server", bob.StandardError, StringComparison.Ordinal);
        Assert.Contains("Received", bob.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Left the chat at 127.0.0.1:{port}", bob.StandardError, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex("bob joined from 127\\.0\\.0\\.1:"), ct, standardError: true);
        await server.WaitForAsync(new Regex("relayed to the others: 1"), ct, standardError: true);
    }

    [Fact]
    public async Task A_person_with_nc_u_and_one_with_parley_chat_talk_to_each_other()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        using var nc = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await nc.ConnectAsync(IPAddress.Loopback, port, ct);
        var buffer = new byte[2048];
        async Task<string> Receive() => Encoding.UTF8.GetString(buffer, 0, await nc.ReceiveAsync(buffer, SocketFlags.None, ct));

        await nc.SendAsync("/join netcat\n"u8.ToArray(), SocketFlags.None, ct);
        var challenge = await Receive();
        Assert.Matches(@"^\? /join netcat [0-9A-Z]{8}\n$", challenge);
        await nc.SendAsync(Encoding.UTF8.GetBytes(challenge[2..]), SocketFlags.None, ct);
        Assert.Equal("* you joined as netcat (1 member)\n", await Receive());
        await using var alice = Chat(port, "alice");
        Assert.Equal("* alice joined\n", await Receive());
        await Type(alice, "hi, netcat", ct);
        Assert.Equal("<alice> hi, netcat\n", await Receive());
        await nc.SendAsync("hello alice, from nc -u\n"u8.ToArray(), SocketFlags.None, ct);
        await alice.WaitForAsync(Line("<netcat> hello alice, from nc -u"), ct);
        await Type(alice, "exit", ct);

        Assert.Equal(0, await alice.WaitForExitAsync(ct));
        Assert.Equal("* alice left\n", await Receive());
    }

    [Fact]
    public async Task Stop_on_the_server_console_tells_the_members_and_the_client_ends_with_1()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);

        await Type(server, "stop", ct);

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Equal(1, await alice.WaitForExitAsync(ct));
        Assert.EndsWith("* server stopping\n", alice.StandardOutput, StringComparison.Ordinal);
        Assert.Equal($"parley: the chat server at 127.0.0.1:{port} stopped", EchoProcessTests.ErrorLine(alice));
        Assert.Contains("Stop requested by the server console", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Telling every member that the server is stopping; members: 1", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM", "signal SIGTERM")]
    [InlineData("INT", "Ctrl+C (SIGINT)")]
    public async Task A_signal_stops_the_chat_server_with_exit_code_0(string signal, string source)
    {
        var ct = TestTimeout.Token();
        var (server, _) = await ChatServerProcess.StartAsync(ct);
        await using var __ = server;

        server.Signal(signal);

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains($"Stop requested by {source}", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_piped_into_head_leaves_when_head_ends_and_exits_141()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);
        await using var amy = ParleyProcess.StartInShell(
            "{parley} < <(sleep 30 2>/dev/null) 2>/dev/null | head -1; echo \"parley exited ${PIPESTATUS[0]}\"",
            "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "amy");
        await alice.WaitForAsync(Line("* amy joined"), ct);

        // Until head has ended, what amy is sent still fits in the pipe: keep talking until amy's write fails.
        using var talking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var talk = Task.Run(async () =>
        {
            while (!talking.IsCancellationRequested)
            {
                await Type(alice, "anyone reading?", ct);
                await Task.Delay(100, talking.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }, ct);

        await alice.WaitForAsync(Line("* amy left"), ct);
        await talking.CancelAsync();
        await talk;
        await amy.WaitForAsync(Line("parley exited 141"), ct);
        Assert.StartsWith("* you joined as amy (2 members)\n", amy.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_leaves_the_chat_and_exits_130()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);
        await using var bob = Chat(port, "bob");
        await alice.WaitForAsync(Line("* bob joined"), ct);

        bob.Signal("INT");

        Assert.Equal(130, await bob.WaitForExitAsync(ct));
        await alice.WaitForAsync(Line("* bob left"), ct);
        Assert.Equal("parley: interrupted", EchoProcessTests.ErrorLine(bob));
    }

    [Fact]
    public async Task Joining_a_port_where_nothing_listens_says_server_unreachable_and_exits_1()
    {
        var ct = TestTimeout.Token();
        var port = ClosedUdpPort();

        var (exit, client) = await ParleyProcess.RunAsync("hello\n", ct, "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "bob");
        await using var _ = client;

        Assert.Equal(1, exit);
        Assert.StartsWith($"parley: cannot join the chat at 127.0.0.1:{port}: server unreachable", EchoProcessTests.ErrorLine(client), StringComparison.Ordinal);
        Assert.Empty(client.StandardOutput);
        EchoProcessTests.AssertNoStackTrace(client.StandardError);
    }

    [Fact]
    public async Task A_server_that_vanished_is_reported_unreachable_and_the_client_exits_1()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);

        server.Signal("KILL");
        await server.WaitForExitAsync(ct);
        await Type(alice, "anyone there?", ct);

        Assert.Equal(1, await alice.WaitForExitAsync(ct));
        Assert.StartsWith("parley: server unreachable", EchoProcessTests.ErrorLine(alice), StringComparison.Ordinal);
        EchoProcessTests.AssertNoStackTrace(alice.StandardError);
    }

    [Fact]
    public async Task A_silent_server_is_reported_as_not_responding_and_its_return_is_noticed()
    {
        var ct = TestTimeout.Token();
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)fake.LocalEndPoint!).Port;
        await using var bob = Chat(port, "bob", "--ping-interval", "200ms", "--server-timeout", "500ms");
        var buffer = new byte[2048];
        var join = await fake.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
        await fake.SendToAsync("* you joined as bob (1 member)"u8.ToArray(), SocketFlags.None, join.RemoteEndPoint, ct);

        await bob.WaitForAsync(new Regex($"^parley: server not responding: nothing heard from 127.0.0.1:{port} for ", RegexOptions.Multiline), ct, standardError: true);
        await fake.SendToAsync("<alice> still here"u8.ToArray(), SocketFlags.None, join.RemoteEndPoint, ct);

        await bob.WaitForAsync(Line("parley: server responding again (127.0.0.1:" + port + ")"), ct, standardError: true);
        await bob.WaitForAsync(Line("<alice> still here"), ct);
    }

    [Fact]
    public async Task A_taken_nickname_is_one_line_and_exit_code_1_when_piped()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var alice = Chat(port, "alice");
        await alice.WaitForAsync(Line("* you joined as alice (1 member)"), ct);

        var (exit, other) = await ParleyProcess.RunAsync("hi\n", ct, "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "Alice");
        await using var __ = other;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: cannot join the chat at 127.0.0.1:{port} as Alice: nickname Alice is taken: choose another", EchoProcessTests.ErrorLine(other));
    }

    [Fact]
    public async Task Help_and_text_that_cannot_travel_are_answered_locally()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, bob) = await ParleyProcess.RunAsync("/help\nbell \a here\n/ping\n", ct, "chat", "--host", "127.0.0.1", "--port", $"{port}", "--nick", "bob");
        await using var __ = bob;

        Assert.Equal(0, exit);
        Assert.Contains("/msg NICK TEXT", bob.StandardError, StringComparison.Ordinal);
        Assert.Contains("parley: not sent: it holds a control character (U+0007)", bob.StandardError, StringComparison.Ordinal);
        Assert.Matches(new Regex($"^/pong from 127.0.0.1:{port} in ", RegexOptions.Multiline), bob.StandardOutput);
        Assert.DoesNotContain("sent a message", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_nickname_and_without_a_terminal_the_client_says_what_is_missing()
    {
        var ct = TestTimeout.Token();

        var (exit, client) = await ParleyProcess.RunAsync("hi\n", ct, "chat", "--port", "9003");
        await using var _ = client;

        Assert.Equal(2, exit);
        Assert.Equal("parley: --nick is needed when standard input is not a terminal (or with --no-prompt)", EchoProcessTests.ErrorLine(client));
    }

    [Theory]
    [InlineData("chat --nick \"a b\"", "parley: --nick: 'a space' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    [InlineData("chat --nick bob --server-timeout never", "parley: --server-timeout: 'never' is not a duration: use for example 500ms, 5s, 2m or 1h")]
    [InlineData("serve chat --rate 0", "parley: --rate: '0' is not a whole number from 1 to 100000")]
    [InlineData("serve chat --history -1", "parley: --history: '-1' is not a whole number from 0 to 10000")]
    [InlineData("serve chat --member-timeout soon", "parley: --member-timeout: 'soon' is not a duration: use for example 500ms, 5s, 2m or 1h")]
    [InlineData("serve chat --max-members 0", "parley: --max-members: '0' is not a whole number from 1 to 1000000")]
    [InlineData("serve chat --max-members-per-address -1", "parley: --max-members-per-address: '-1' is not a whole number from 0 to 1000000")]
    [InlineData("serve chat --allow-stop any", "parley: Unrecognized command or argument '--allow-stop'.")]
    public async Task A_bad_argument_is_one_line_and_exit_code_2(string arguments, string expected)
    {
        var ct = TestTimeout.Token();
        var args = Regex.Matches(arguments, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"')).ToArray();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, args);
        await using var _ = process;

        Assert.Equal(2, exit);
        Assert.Equal(expected, EchoProcessTests.ErrorLine(process));
        Assert.Empty(process.StandardOutput);
    }

    [Fact]
    public async Task A_udp_port_in_use_with_no_tries_left_is_one_line_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var (exit, server) = await ParleyProcess.RunAsync("", ct, "serve", "chat", "--host", "127.0.0.1", "--port", $"{port}", "--port-tries", "1");
        await using var _ = server;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: port {port} is in use on 127.0.0.1", EchoProcessTests.ErrorLine(server));
    }

    [Fact]
    public async Task Help_lists_every_option_with_its_default()
    {
        var ct = TestTimeout.Token();

        var (serveExit, serve) = await ParleyProcess.RunAsync("", ct, "serve", "chat", "--help");
        var (chatExit, chat) = await ParleyProcess.RunAsync("", ct, "chat", "--help");
        await using var _ = serve;
        await using var __ = chat;

        Assert.Equal(0, serveExit);
        Assert.Equal(0, chatExit);
        foreach (var option in new[] { "--host", "--port", "--port-tries", "--no-prompt", "--history", "--member-timeout", "--rate", "--max-members", "--log-level", "--max-members-per-address", "--rate-per-address", "--max-backlog" })
        {
            Assert.Contains(option, serve.StandardOutput, StringComparison.Ordinal);
        }

        foreach (var option in new[] { "--host", "--port", "--nick", "--connect-timeout", "--ping-interval", "--server-timeout", "--log-level" })
        {
            Assert.Contains(option, chat.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 9003]", serve.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: 9003]", chat.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: 20]", serve.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_starting_line_shows_the_limits_per_address_and_0_lifts_them()
    {
        var ct = TestTimeout.Token();
        var (server, _) = await ChatServerProcess.StartAsync(ct);
        var (unlimited, _) = await ChatServerProcess.StartAsync(ct, "--max-members-per-address", "0", "--rate-per-address", "0", "--max-backlog", "0");
        await using var __ = server;
        await using var ___ = unlimited;

        await server.WaitForAsync(new Regex("per address 100 messages a second \\(bursts of 200\\), at most 1000 members, 32 per address, backlog 10000 datagrams"), ct, standardError: true);
        await unlimited.WaitForAsync(new Regex("per address unlimited, at most 1000 members, unlimited per address, backlog unlimited"), ct, standardError: true);
    }

    private static int ClosedUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
