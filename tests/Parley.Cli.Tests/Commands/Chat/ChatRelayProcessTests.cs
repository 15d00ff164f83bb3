using System.Net;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Monitoring;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Chat;

/// <summary>
/// Chat servers of one room on one Redis (<c>parley serve chat --relay</c>): two real <c>parley</c> processes on a
/// private redis-server, their members plain UDP sockets, as <c>nc -u</c> would be.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ChatRelayProcessTests(RedisServer redis)
{
    private async Task<(ParleyProcess Server, IPEndPoint EndPoint)> ServerAsync(string room, CancellationToken ct, params string[] extra)
    {
        var (server, port) = await ChatServerProcess.StartAsync(ct, ["--relay", redis.Url(), "--room", room, .. extra]);
        return (server, new IPEndPoint(IPAddress.Loopback, port));
    }

    private static async Task<ChatPeer> JoinAsync(IPEndPoint server, string nickname, string welcome, CancellationToken ct)
    {
        var peer = ChatPeer.Open(server);
        Assert.Equal(welcome, await peer.JoinAsync($"/join {nickname}", ct));
        return peer;
    }

    /// <summary>Alice joins server A, then bob server B, and alice has seen bob join.</summary>
    private static async Task<(ChatPeer Alice, ChatPeer Bob)> AliceAndBobAsync(IPEndPoint atA, IPEndPoint atB, CancellationToken ct)
    {
        var alice = await JoinAsync(atA, "alice", "* you joined as alice (1 member)", ct);
        var bob = await JoinAsync(atB, "bob", "* you joined as bob (2 members)", ct);
        Assert.Equal("* bob joined", await alice.ReceiveAsync(ct));
        return (alice, bob);
    }

    [RedisFact]
    public async Task Members_of_two_servers_on_one_redis_talk_as_if_on_one_server()
    {
        var ct = TestTimeout.Token();
        var room = RedisServer.NewRoom();
        var (a, atA) = await ServerAsync(room, ct, "--history", "3");
        await using var _ = a;
        var (b, atB) = await ServerAsync(room, ct, "--history", "3");
        await using var __ = b;

        var (alice, bob) = await AliceAndBobAsync(atA, atB, ct);
        await using var ___ = alice;
        await using var ____ = bob;
        await bob.SendAsync("hello from B", ct);
        Assert.Equal("<bob> hello from B", await alice.ReceiveAsync(ct));
        await alice.SendAsync("/msg BOB only for you", ct);
        Assert.Equal("[alice -> you] only for you", await bob.ReceiveAsync(ct));
        await bob.SendAsync("/who", ct);
        Assert.Equal("* members (2): alice, bob", await bob.ReceiveAsync(ct));
        // What bob sends while his new nickname is being claimed in Redis waits for it: seen after the rename, in order.
        await bob.SendAsync("/nick robert", ct);
        for (var i = 1; i <= 20; i++)
        {
            await bob.SendAsync($"number {i}", ct);
        }

        Assert.Equal("* bob is now known as robert", await bob.ReceiveAsync(ct));
        Assert.Equal("* bob is now known as robert", await alice.ReceiveAsync(ct));
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal($"<robert> number {i}", await alice.ReceiveAsync(ct));
        }

        // The history is the room's, wherever it was said; the nickname is the room's, by the comparison one server makes.
        await using var carol = ChatPeer.Open(atA);
        Assert.Equal("* you joined as carol (3 members); the last 3 messages follow", await carol.JoinAsync("/join carol", ct));
        Assert.Equal(["<robert> number 18", "<robert> number 19", "<robert> number 20"],
            [await carol.ReceiveAsync(ct), await carol.ReceiveAsync(ct), await carol.ReceiveAsync(ct)]);
        Assert.Equal("* carol joined", await bob.ReceiveAsync(ct));
        Assert.Equal("* carol joined", await alice.ReceiveAsync(ct));
        await using var lookAlike = ChatPeer.Open(atA);
        Assert.Contains("taken", await lookAlike.JoinAsync("/join ＲＯＢＥＲＴ", ct), StringComparison.Ordinal);

        await bob.SendAsync("/leave", ct);
        Assert.Equal("* bye", await bob.ReceiveAsync(ct));
        Assert.Equal("* robert left", await alice.ReceiveAsync(ct));
        Assert.Equal("* robert left", await carol.ReceiveAsync(ct));
    }

    [RedisFact]
    public async Task Two_joins_of_one_nickname_on_two_servers_make_one_member()
    {
        var ct = TestTimeout.Token();
        var room = RedisServer.NewRoom();
        var (a, atA) = await ServerAsync(room, ct);
        await using var _ = a;
        var (b, atB) = await ServerAsync(room, ct);
        await using var __ = b;

        await using var first = ChatPeer.Open(atA);
        await using var second = ChatPeer.Open(atB);
        var answers = await Task.WhenAll(first.JoinAsync("/join dana", ct), second.JoinAsync("/join Dana", ct));

        Assert.Single(answers, a => a.StartsWith("* you joined as ", StringComparison.Ordinal));
        Assert.Single(answers, a => a.Contains("is taken", StringComparison.Ordinal));
    }

    [RedisFact]
    public async Task A_stopping_server_tells_its_members_and_the_others_see_them_leave()
    {
        var ct = TestTimeout.Token();
        var room = RedisServer.NewRoom();
        var (a, atA) = await ServerAsync(room, ct);
        await using var _ = a;
        var (b, atB) = await ServerAsync(room, ct);
        await using var __ = b;
        var (alice, bob) = await AliceAndBobAsync(atA, atB, ct);
        await using var ___ = alice;
        await using var ____ = bob;

        b.Signal("TERM");

        Assert.Equal(0, await b.WaitForExitAsync(ct));
        Assert.Equal("* server stopping", await bob.ReceiveAsync(ct));
        Assert.Equal("* bob left", await alice.ReceiveAsync(ct));
        await using var again = await JoinAsync(atA, "bob", "* you joined as bob (2 members)", ct);
    }

    [RedisFact]
    public async Task Members_of_a_killed_server_time_out_for_the_others_and_their_nicknames_are_free_again()
    {
        var ct = TestTimeout.Token();
        var room = RedisServer.NewRoom();
        var (a, atA) = await ServerAsync(room, ct);
        await using var _ = a;
        var (b, atB) = await ServerAsync(room, ct, "--member-timeout", "2s");
        var (alice, bob) = await AliceAndBobAsync(atA, atB, ct);
        await using var ___ = alice;
        await using var ____ = bob;

        // Server B holds its members' nicknames for its member timeout, 2 seconds: killed, it says nothing, and A,
        // whose members time out after a minute, sweeps bob out.
        await b.DisposeAsync();

        Assert.Equal("* bob timed out", await alice.ReceiveAsync(ct));
        await using var newBob = await JoinAsync(atA, "bob", "* you joined as bob (2 members)", ct);
        Assert.DoesNotContain("* bob timed out", alice.Pending());
    }

    [RedisFact]
    public async Task A_redis_outage_leaves_each_server_talking_alone_refuses_joins_and_ends_with_relay_back()
    {
        var ct = TestTimeout.Token();
        var room = RedisServer.NewRoom();
        var (a, atA) = await ServerAsync(room, ct);
        await using var _ = a;
        var (b, atB) = await ServerAsync(room, ct);
        await using var __ = b;
        await using var alice = await JoinAsync(atA, "alice", "* you joined as alice (1 member)", ct);
        await using var carol = await JoinAsync(atA, "carol", "* you joined as carol (2 members)", ct);
        Assert.Equal("* carol joined", await alice.ReceiveAsync(ct));
        await using var bob = await JoinAsync(atB, "bob", "* you joined as bob (3 members)", ct);
        Assert.Equal("* bob joined", await alice.ReceiveAsync(ct));
        Assert.Equal("* bob joined", await carol.ReceiveAsync(ct));

        try
        {
            await redis.StopAsync();
            const string Lost = "* relay lost: only members on this server hear you now";
            Assert.Equal(Lost, await alice.ReceiveAsync(ct));
            Assert.Equal(Lost, await carol.ReceiveAsync(ct));
            Assert.Equal(Lost, await bob.ReceiveAsync(ct));
            await alice.SendAsync("still here", ct);
            Assert.Equal("<alice> still here", await carol.ReceiveAsync(ct));
            await using var dave = ChatPeer.Open(atA);
            Assert.Equal("! the chat relay is unavailable, try again", await dave.JoinAsync("/join dave", ct));
            await bob.SendAsync("/who", ct);
            Assert.Equal("* members (1): bob", await bob.ReceiveAsync(ct));
        }
        finally
        {
            if (!redis.IsRunning)
            {
                await redis.StartAsync();
            }
        }

        Assert.Equal("* relay back", await alice.ReceiveAsync(ct));
        Assert.Equal("* relay back", await carol.ReceiveAsync(ct));
        Assert.Equal("* relay back", await bob.ReceiveAsync(ct));
        await alice.SendAsync("and now?", ct);
        Assert.Equal("<alice> and now?", await bob.ReceiveAsync(ct));
        await bob.SendAsync("/who", ct);
        Assert.Equal("* members (3): alice, bob, carol", await bob.ReceiveAsync(ct));
        Assert.DoesNotContain(alice.Pending(), line => line.StartsWith("* relay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_relay_url_is_one_line_and_exit_code_2()
    {
        var ct = TestTimeout.Token();
        await using var server = ParleyProcess.Start("serve", "chat", "--port", "0", "--host", "127.0.0.1", "--relay", "redis://127.0.0.1:6379/db");

        Assert.Equal(2, await server.WaitForExitAsync(ct));
        Assert.Equal("parley: --relay: the database must be a number, not 'db'\n", server.StandardError);
        Assert.Equal("", server.StandardOutput);
    }

    [Fact]
    public async Task An_unreachable_relay_is_one_line_naming_host_and_port_without_the_password_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        var port = ClosedTcpPort();
        await using var server = ParleyProcess.Start(
            ["serve", "chat", "--port", "0", "--host", "127.0.0.1"], new Dictionary<string, string?> { ["PARLEY_RELAY"] = $"redis://:s3cret-pw@127.0.0.1:{port}/2" });

        Assert.Equal(1, await server.WaitForExitAsync(ct));
        Assert.Matches(new Regex($"^parley: cannot reach the chat relay at 127\\.0\\.0\\.1:{port}: [^\n]*\n$"), server.StandardError);
        Assert.DoesNotContain("s3cret-pw", server.StandardError + server.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("abortConnect", server.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private static int ClosedTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [RedisFact]
    public async Task Healthz_is_503_while_redis_is_stopped_and_200_once_the_relay_is_back_and_the_relay_is_measured()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        var (server, at) = await ServerAsync(RedisServer.NewRoom(), ct, "--metrics", "127.0.0.1:0");
        await using var _ = server;
        var metrics = await MetricsProcessTests.MetricsUrlAsync(server, ct);
        Assert.Equal("ok\n", await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.OK, ct));
        await using (var alice = await JoinAsync(at, "alice", "* you joined as alice (1 member)", ct))
        {
            await alice.SendAsync("to the relay", ct);
            await alice.SendAsync("/who", ct);
            Assert.Equal("* members (1): alice", await alice.ReceiveAsync(ct));
        }

        var scrape = await MetricsProcessTests.ScrapeAsync(metrics, ct);
        Assert.Equal(1, MetricsProcessTests.Sample(scrape, "parley_chat_relay_connected"));
        Assert.Equal(1, MetricsProcessTests.Sample(scrape, "parley_chat_relay_messages_total{network_io_direction=\"transmit\"}"));

        await redis.StopAsync();
        string down;
        try
        {
            down = await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.ServiceUnavailable, ct);
        }
        finally
        {
            await redis.StartAsync();
        }

        Assert.Contains("the chat relay", down, StringComparison.Ordinal);
        Assert.Equal(0, MetricsProcessTests.Sample(await MetricsProcessTests.ScrapeAsync(metrics, ct), "parley_chat_relay_connected"));
        Assert.Equal("ok\n", await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.OK, ct));
        Assert.Equal(1, MetricsProcessTests.Sample(await MetricsProcessTests.ScrapeAsync(metrics, ct), "parley_chat_relay_connected"));
        Assert.False(server.HasExited);
    }
}
