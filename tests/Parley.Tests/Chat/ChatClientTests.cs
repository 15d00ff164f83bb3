using Microsoft.Extensions.Time.Testing;
using Parley.Chat;
using Parley.Tests.Support;

namespace Parley.Tests.Chat;

/// <summary>The chat client against the real server and against a server played by hand.</summary>
public sealed class ChatClientTests
{
    private static Task<ChatClient> Join(int port, string nickname, CancellationToken ct, ChatClientOptions? options = null, TimeProvider? time = null) =>
        ChatClient.JoinAsync("127.0.0.1", port, nickname, options, timeProvider: time, cancellationToken: ct);

    private static async Task<ChatEvent> Next(ChatClient client, CancellationToken ct) => await client.Events.ReadAsync(ct);

    [Fact]
    public async Task Two_clients_chat_and_each_sees_the_others_lines_in_order()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await Join(chat.EndPoint.Port, "alice", ct);
        await using var bob = await Join(chat.EndPoint.Port, "bob", ct);

        Assert.True(await bob.SendAsync("hi alice", ct));
        Assert.True(await alice.SendAsync("/msg bob hi bob", ct));

        Assert.Equal(new ChatEvent(ChatEventKind.Message, "* you joined as alice (1 member)"), await Next(alice, ct));
        Assert.Equal("* bob joined", (await Next(alice, ct)).Text);
        Assert.Equal("<bob> hi alice", (await Next(alice, ct)).Text);
        Assert.Equal("* you joined as bob (2 members)", (await Next(bob, ct)).Text);
        Assert.Equal("[alice -> you] hi bob", (await Next(bob, ct)).Text);
        Assert.Equal("alice", alice.Nickname);
    }

    [Fact]
    public async Task A_taken_nickname_fails_the_join_with_the_servers_whole_reason()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await Join(chat.EndPoint.Port, "alice", ct);

        var e = await Assert.ThrowsAsync<ChatJoinException>(() => Join(chat.EndPoint.Port, "ALICE", ct));

        Assert.Equal(ChatJoinFailure.Refused, e.Failure);
        Assert.Equal("nickname ALICE is taken: choose another", e.Reason);
        Assert.Equal($"cannot join the chat at 127.0.0.1:{chat.EndPoint.Port} as ALICE: nickname ALICE is taken: choose another", e.Message);
    }

    [Fact]
    public async Task Joining_a_port_where_nothing_listens_reports_the_server_unreachable()
    {
        var ct = TestTimeout.Token();
        int port;
        using (var closed = new FakeChatServer())
        {
            port = closed.Port;
        }

        var e = await Assert.ThrowsAsync<ChatJoinException>(() => Join(port, "bob", ct));

        Assert.Equal(ChatJoinFailure.Unreachable, e.Failure);
        Assert.Contains("server unreachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Joining_a_silent_server_sends_join_again_then_gives_up_after_the_join_timeout()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        using var silent = new FakeChatServer();
        var options = new ChatClientOptions { JoinTimeout = TimeSpan.FromSeconds(5), JoinRetryInterval = TimeSpan.FromSeconds(1) };

        var joining = Join(silent.Port, "bob", ct, options, time);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal("/join bob", (await silent.ReceiveAsync(ct)).Text);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var e = await Assert.ThrowsAsync<ChatJoinException>(() => joining);
        Assert.Equal(ChatJoinFailure.NoAnswer, e.Failure);
        Assert.Contains("no answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_join_answered_too_fast_is_told_apart_from_a_refused_nickname()
    {
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();

        var joining = Join(server.Port, "bob", ct);
        var (_, from) = await server.ReceiveAsync(ct);
        await server.SendAsync("! too fast: messages dropped", from, ct);

        var e = await Assert.ThrowsAsync<ChatJoinException>(() => joining);
        Assert.Equal(ChatJoinFailure.TooFast, e.Failure);
        Assert.Contains("wait a few seconds", ChatClient.Hint(e.Failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interrupted_while_joining_the_client_leaves_so_that_no_member_is_left_behind()
    {
        // Ctrl+C between the server taking the /join and its welcome arriving: the others must not keep seeing a
        // member that is gone until it times out.
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();
        using var interrupt = new CancellationTokenSource();

        var joining = Join(server.Port, "bob", interrupt.Token);
        var (join, from) = await server.ReceiveAsync(ct);
        await interrupt.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => joining);
        var (leave, leaver) = await server.ReceiveAsync(ct);
        Assert.Equal("/join bob", join);
        Assert.Equal("/leave", leave);
        Assert.Equal(from, leaver);
    }

    [Fact]
    public async Task The_client_pings_every_ping_interval_and_reports_a_silent_server_and_its_return()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        using var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct, time: time);
        var client = await server.AcceptJoinAsync(ct);
        await using var bob = await joining;
        Assert.Equal(ChatEventKind.Message, (await Next(bob, ct)).Kind);

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("/ping k1", (await server.ReceiveAsync(ct)).Text);
        time.Advance(TimeSpan.FromSeconds(10));
        var silence = await Next(bob, ct);
        await server.SendAsync("<alice> back again", client, ct);

        Assert.Equal(new ChatEvent(ChatEventKind.ServerNotResponding, $"server not responding: nothing heard from 127.0.0.1:{server.Port} for 30.0 s"), silence);
        Assert.Equal(ChatEventKind.ServerResponding, (await Next(bob, ct)).Kind);
        Assert.Equal(new ChatEvent(ChatEventKind.Message, "<alice> back again"), await Next(bob, ct));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_that_has_forgotten_the_client_gets_it_back_by_a_new_join(bool challenged)
    {
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct);
        var client = await server.AcceptJoinAsync(ct);
        await using var bob = await joining;
        await Next(bob, ct);

        await server.SendAsync("! join first with /join NICK", client, ct);
        Assert.Equal("/join bob", (await server.ReceiveAsync(ct)).Text);
        if (challenged)
        {
            // Joining again, the client proves its address as on the first join.
            await server.SendAsync("? /join bob ABCDEFGH", client, ct);
            Assert.Equal("/join bob ABCDEFGH", (await server.ReceiveAsync(ct)).Text);
        }

        await server.SendAsync("* you joined as bob (3 members)", client, ct);

        Assert.Equal(ChatEventKind.Rejoining, (await Next(bob, ct)).Kind);
        Assert.Equal("* you joined as bob (3 members)", (await Next(bob, ct)).Text);
        Assert.Equal(ChatEndReason.None, bob.EndReason);
    }

    [Fact]
    public async Task The_client_sends_the_servers_challenge_back_and_then_joins()
    {
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct);

        var (join, client) = await server.ReceiveAsync(ct);
        await server.SendAsync("? /join bob 7KQ2MX9P", client, ct);
        var (answer, from) = await server.ReceiveAsync(ct);
        await server.SendAsync("* you joined as bob (1 member)", client, ct);
        await using var bob = await joining;

        Assert.Equal("/join bob", join);
        Assert.Equal("/join bob 7KQ2MX9P", answer);
        Assert.Equal(client, from);
        Assert.Equal("* you joined as bob (1 member)", (await Next(bob, ct)).Text);
    }

    [Fact]
    public async Task A_challenge_for_another_nickname_is_not_answered()
    {
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct);

        var (_, client) = await server.ReceiveAsync(ct);
        await server.SendAsync("? /join mallory 7KQ2MX9P", client, ct);
        await server.SendAsync("? /join bob 7KQ2MX9P", client, ct);
        var (answer, _) = await server.ReceiveAsync(ct);
        await server.SendAsync("* you joined as bob (1 member)", client, ct);
        await using var bob = await joining;

        Assert.Equal("/join bob 7KQ2MX9P", answer);
    }

    [Fact]
    public async Task A_refused_rejoin_ends_the_session()
    {
        var ct = TestTimeout.Token();
        using var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct);
        var client = await server.AcceptJoinAsync(ct);
        await using var bob = await joining;
        await Next(bob, ct);

        await server.SendAsync("! join first", client, ct);
        await server.ReceiveAsync(ct);
        await server.SendAsync("! nickname bob is taken: choose another", client, ct);

        Assert.Equal(ChatEventKind.Rejoining, (await Next(bob, ct)).Kind);
        Assert.Equal("! nickname bob is taken: choose another", (await Next(bob, ct)).Text);
        Assert.Equal(ChatEventKind.Ended, (await Next(bob, ct)).Kind);
        Assert.Equal(ChatEndReason.MembershipLost, bob.EndReason);
    }

    [Fact]
    public async Task A_stopping_server_ends_the_session()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await Join(chat.EndPoint.Port, "bob", ct);
        await Next(bob, ct);

        await chat.Server.StopAsync("the test");

        Assert.Equal("* server stopping", (await Next(bob, ct)).Text);
        Assert.Equal(new ChatEvent(ChatEventKind.Ended, $"the chat server at 127.0.0.1:{chat.EndPoint.Port} stopped"), await Next(bob, ct));
        Assert.Equal(ChatEndReason.ServerStopped, bob.EndReason);
        Assert.False(await bob.SendAsync("anyone?", ct));
        Assert.False(await bob.Events.WaitToReadAsync(ct));
    }

    [Fact]
    public async Task A_server_that_vanished_is_reported_unreachable_once_the_system_says_its_port_is_closed()
    {
        var ct = TestTimeout.Token();
        var server = new FakeChatServer();
        var joining = Join(server.Port, "bob", ct);
        await server.AcceptJoinAsync(ct);
        await using var bob = await joining;
        await Next(bob, ct);

        server.Dispose();
        await bob.SendAsync("anyone?", ct);

        var ended = await Next(bob, ct);
        Assert.Equal(ChatEventKind.Ended, ended.Kind);
        Assert.StartsWith("server unreachable", ended.Text, StringComparison.Ordinal);
        Assert.Equal(ChatEndReason.ServerUnreachable, bob.EndReason);
    }

    [Fact]
    public async Task Ping_measures_a_round_trip_through_the_server()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await Join(chat.EndPoint.Port, "bob", ct);

        var rtt = await bob.PingAsync(TimeSpan.FromSeconds(10), ct);

        Assert.NotNull(rtt);
        Assert.Equal("* you joined as bob (1 member)", (await Next(bob, ct)).Text);
        Assert.False(bob.Events.TryRead(out _));
    }

    [Fact]
    public async Task The_client_paces_itself_under_the_rate_limit_instead_of_being_dropped()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        using var server = new FakeChatServer();
        var options = new ChatClientOptions { Rate = 10, Burst = 5 };
        var joining = Join(server.Port, "bob", ct, options, time);
        await server.AcceptJoinAsync(ct);
        await using var bob = await joining;

        for (var i = 0; i < 4; i++)
        {
            Assert.True(await bob.SendAsync($"m{i}", ct));
        }

        var fifth = bob.SendAsync("m4", ct).AsTask();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"m{i}", (await server.ReceiveAsync(ct)).Text);
        }

        Assert.False(fifth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await fifth);
        Assert.Equal("m4", (await server.ReceiveAsync(ct)).Text);
    }

    [Theory]
    [InlineData("clear \u001b[2J")]
    [InlineData("tab\tseparated")]
    public async Task Text_that_cannot_travel_is_refused_before_anything_is_sent(string text)
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await Join(chat.EndPoint.Port, "bob", ct);

        await Assert.ThrowsAsync<ArgumentException>(() => bob.SendAsync(text, ct).AsTask());
    }

    [Fact]
    public async Task A_lone_surrogate_is_refused_before_anything_is_sent()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await Join(chat.EndPoint.Port, "bob", ct);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => bob.SendAsync(new string([(char)0xD800, 'x']), ct).AsTask());

        Assert.Contains("no UTF-8 form", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_nickname_is_refused_before_anything_is_sent()
    {
        var ct = TestTimeout.Token();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => Join(9, "no spaces", ct));

        Assert.Contains("cannot be part of a nickname", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_an_unknown_host()
    {
        var ct = TestTimeout.Token();

        var e = await Assert.ThrowsAsync<ChatJoinException>(() => ChatClient.JoinAsync("no-such-host.invalid", 9003, "bob", cancellationToken: ct));

        Assert.Equal(ChatJoinFailure.UnknownHost, e.Failure);
    }
}
