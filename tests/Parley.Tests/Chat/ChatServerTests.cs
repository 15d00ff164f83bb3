using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Parley.Chat;
using Parley.Tests.Support;

namespace Parley.Tests.Chat;

/// <summary>The chat server over real UDP sockets on loopback.</summary>
public sealed class ChatServerTests
{
    [Fact]
    public async Task Public_messages_reach_the_other_two_members_in_order_and_never_the_sender()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await using var carol = await chat.JoinAsync("carol", ct);
        await alice.DrainAsync(ct);
        await bob.DrainAsync(ct);

        foreach (var text in new[] { "one", "two", "three" })
        {
            await alice.SendAsync(text, ct);
        }

        await bob.SendAsync("from bob", ct);

        Assert.Equal(["<alice> one", "<alice> two", "<alice> three", "<bob> from bob"], await carol.DrainAsync(ct));
        Assert.Equal(["<alice> one", "<alice> two", "<alice> three"], await bob.DrainAsync(ct));
        Assert.Equal(["<bob> from bob"], await alice.DrainAsync(ct));
        Assert.True(chat.Logs.Has("Relayed", r => r.Message.Contains("alice", StringComparison.Ordinal) && r.Message.EndsWith("relayed to the others: 2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Join_and_leave_are_announced_to_the_others_and_the_leaver_is_told()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);

        await using var bob = await chat.JoinAsync("bob", ct);
        Assert.Equal(["* bob joined"], await alice.DrainAsync(ct));

        await bob.SendAsync("/leave", ct);
        Assert.Equal("* bye", await bob.ReceiveAsync(ct));
        Assert.Equal(["* bob left"], await alice.DrainAsync(ct));

        Assert.Equal("* you joined as bob (2 members)", await bob.JoinAsync("/join bob", ct));
        await using var carol = await chat.JoinAsync("carol", ct);
        await carol.SendAsync("/quit", ct);
        Assert.Equal(["* bob joined", "* carol joined", "* carol left"], await alice.DrainAsync(ct));
        Assert.Equal(2, chat.Handler.MemberCount);
        Assert.True(chat.Logs.Has("Joined") && chat.Logs.Has("Left"));
    }

    [Fact]
    public async Task A_private_message_reaches_only_its_recipient_and_an_unknown_recipient_is_an_error()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await using var carol = await chat.JoinAsync("carol", ct);
        await alice.DrainAsync(ct);
        await bob.DrainAsync(ct);

        await alice.SendAsync("/msg BOB psst,  listen", ct);
        await alice.SendAsync("/msg dave are you there?", ct);
        await alice.SendAsync("/msg bob", ct);

        Assert.Equal(["[alice -> you] psst,  listen"], await bob.DrainAsync(ct));
        Assert.Empty(await carol.DrainAsync(ct));
        Assert.Equal(["! no such member", "! usage"], await alice.DrainAsync(ct));
        Assert.True(chat.Logs.Has("PrivateMessage", r => r.Message.Contains("to bob", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Who_lists_every_member_sorted_ignoring_case()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var carol = await chat.JoinAsync("carol", ct);
        await using var alice = await chat.JoinAsync("Alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await bob.DrainAsync(ct);

        await bob.SendAsync("/who", ct);

        Assert.Equal(["* members (3): Alice, bob, carol"], await bob.DrainAsync(ct));
    }

    [Fact]
    public async Task Nick_renames_a_member_everyone_is_told_and_the_old_name_is_free_again()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await chat.JoinAsync("bob", ct);
        await using var alice = await chat.JoinAsync("alice", ct);
        await bob.DrainAsync(ct);

        await bob.SendAsync("/nick rob", ct);
        await bob.SendAsync("hi", ct);

        Assert.Equal(["* bob is now known as rob", "<rob> hi"], await alice.DrainAsync(ct));
        Assert.Equal(["* bob is now known as rob"], await bob.DrainAsync(ct));
        await using var newBob = await chat.JoinAsync("bob", ct);
        Assert.True(chat.Logs.Has("Renamed"));
    }

    [Fact]
    public async Task Nick_refuses_a_taken_or_invalid_name_and_keeps_the_old_one()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var bob = await chat.JoinAsync("bob", ct);
        await using var alice = await chat.JoinAsync("alice", ct);
        await bob.DrainAsync(ct);

        await bob.SendAsync("/nick ALICE                                  ", ct);
        await bob.SendAsync("/nick no spaces allowed here, none at all, really", ct);
        await bob.SendAsync("still bob", ct);

        Assert.Equal(
            ["! nickname ALICE is taken: choose another", "! invalid nickname"],
            await bob.DrainAsync(ct));
        Assert.Equal(["<bob> still bob"], await alice.DrainAsync(ct));
    }

    [Fact]
    public async Task A_late_joiner_first_gets_the_last_history_messages()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(o => o.History = 2);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.SendAsync("first", ct);
        await bob.SendAsync("second", ct);
        await alice.SendAsync("third", ct);
        await alice.DrainAsync(ct);

        await using var carol = chat.Peer();
        var welcome = await carol.JoinAsync("/join carol", ct);

        Assert.Equal(["* you joined as carol (3 members); the last 2 messages follow", "<bob> second", "<alice> third"], [welcome, .. await carol.DrainAsync(ct)]);
    }

    [Fact]
    public async Task A_hand_written_exchange_as_nc_u_sends_it_gets_every_line_ended_with_LF()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var program = await chat.JoinAsync("prog", ct);
        await using var nc = chat.Peer();

        await nc.SendAsync("hello, anybody there?\n", ct);
        Assert.Equal("! join first with /join NICK\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));
        await nc.SendAsync("/join nc_user\n", ct);
        var challenge = await nc.ReceiveAsync(ct);
        Assert.Matches(@"^\? /join nc_user [0-9A-Z]{8}\n$", challenge);
        await nc.SendAsync(challenge[2..], ct);
        Assert.Equal("* you joined as nc_user (2 members)\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));
        await nc.SendAsync("hi from netcat\n", ct);
        await program.SendAsync("hi from a program", ct);
        Assert.Equal("<prog> hi from a program\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));
        await nc.SendAsync("/ping\r\n", ct);
        Assert.Equal("/pong\r\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));
        await nc.SendAsync("/who\n", ct);
        Assert.Equal("* members (2): nc_user, prog\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));
        await nc.SendAsync("/quit\n", ct);
        Assert.Equal("* bye\n"u8.ToArray(), await nc.ReceiveBytesAsync(ct));

        Assert.Equal(["* nc_user joined", "<nc_user> hi from netcat", "* nc_user left"], await program.DrainAsync(ct));
    }

    [Fact]
    public async Task Nicknames_collide_ignoring_case_in_any_script()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var first = await chat.JoinAsync("Борис", ct);
        await using var second = chat.Peer();

        await second.SendAsync("/join бОРИС" + new string(' ', 40), ct);
        await second.SendAsync("/join бОРИС", ct);

        Assert.Equal("! nickname бОРИС is taken: choose another", await second.ReceiveAsync(ct));
        Assert.Equal("! nickname бОРИС is taken: choose another", await second.ReceiveAsync(ct));
        Assert.True(chat.Logs.Has("JoinRefused", r => r.Message.Contains("taken by Борис", StringComparison.Ordinal)));
        Assert.Equal(1, chat.Handler.MemberCount);
    }

    [Theory]
    [InlineData("/join bob smith    ", "! invalid nickname")]
    [InlineData("/join <bob>        ", "! invalid nickname")]
    [InlineData("/join                ", "! usage: /join NICK")]
    [InlineData("/join abcdefghijklmnopqrstuvwxyz0123456789", "! invalid nickname: a nickname is at most 32 characters, not 36")]
    [InlineData("/join bob!                 ", "! invalid nickname")]
    public async Task Invalid_nicknames_are_refused_with_a_reason(string join, string expected)
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var peer = chat.Peer();

        await peer.SendAsync(join, ct);

        Assert.Equal(expected, await peer.ReceiveAsync(ct));
        Assert.Equal(0, chat.Handler.MemberCount);
        Assert.True(chat.Logs.Has("JoinRefused"));
    }

    [Theory]
    [InlineData("anna")]
    [InlineData("Ünal-42")]
    [InlineData("李小龙")]
    [InlineData("नमस्ते")]
    [InlineData("a_b-c")]
    public void Letters_of_any_script_digits_underscore_and_hyphen_make_valid_nicknames(string nickname) =>
        Assert.Null(Nicknames.Problem(nickname));

    [Fact]
    public async Task An_oversized_datagram_is_refused_and_nothing_is_relayed()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        await bob.SendAsync(new string('x', ChatProtocol.MaxDatagramBytes + 1), ct);
        await bob.SendAsync(new string('y', ChatProtocol.MaxDatagramBytes - 5), ct);

        Assert.Equal(["! datagram too large: 1201 bytes, at most 1200 per message", "! message too long: with your nickname, at most 1192 bytes of text fit in a datagram"], await bob.DrainAsync(ct));
        Assert.Empty(await alice.DrainAsync(ct));
        Assert.True(chat.Logs.Has("Rejected", r => r.Message.Contains("too large", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Text_that_is_not_UTF8_or_holds_control_characters_is_refused_and_not_relayed()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        await bob.SendAsync([.. "broken \xff\xfe text that is long enough for the full reason"u8.ToArray().Select(b => b), 0xC3, 0x28, .. Encoding.ASCII.GetBytes(" and more padding to fit")], ct);
        await bob.SendAsync("ring the bell \a, then clear the screen \u001b[2J, padded for the reply", ct);
        await bob.SendAsync("right-to-left override \u202E gnp.exe, padded for the whole reply", ct);

        Assert.Equal(
            [
                "! not valid UTF-8: send text encoded in UTF-8",
                "! U+0007 is not allowed: no control characters in chat text",
                "! U+202E is not allowed: no control characters in chat text",
            ],
            await bob.DrainAsync(ct));
        Assert.Empty(await alice.DrainAsync(ct));
        Assert.Equal(3, chat.Logs.Events("Rejected").Count);
    }

    [Fact]
    public async Task Over_the_rate_limit_messages_are_dropped_with_one_reply_until_the_member_slows_down()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var chat = LoopbackChat.Start(o => (o.Rate, o.Burst) = (20, 40), time);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        // The /join took one token of bob's 40; 39 messages fit, the 40th and 41st are dropped.
        for (var i = 1; i <= 41; i++)
        {
            await bob.SendAsync($"message number {i:00} with room for the reply", ct);
        }

        // Once all of bob's datagrams are in (2 joins, alice's ping, 41), alice's next ping is answered after them.
        await Poll.UntilAsync(() => chat.Server.DatagramsReceived >= 44, "bob's burst to arrive");
        var duringBurst = await alice.DrainAsync(ct);
        time.Advance(TimeSpan.FromSeconds(1));
        await bob.SendAsync("after a pause", ct);
        var afterPause = await alice.DrainAsync(ct);
        var toBob = await bob.DrainAsync(ct);

        Assert.Equal(Enumerable.Range(1, 39).Select(i => $"<bob> message number {i:00} with room for the reply"), duringBurst);
        Assert.Equal(["<bob> after a pause"], afterPause);
        Assert.Equal(["! too fast: messages dropped"], toBob);
        Assert.Single(chat.Logs.Events("RateLimited"));
        Assert.True(chat.Logs.Has("RateLimitEnded", r => r.Message.Contains("2 messages were dropped", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Leaving_and_joining_again_does_not_refill_the_rate_limit()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var chat = LoopbackChat.Start(o => (o.Rate, o.Burst) = (20, 40), time);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        // The /join took one token of bob's 40, 38 messages and the /leave take the rest.
        for (var i = 1; i <= 38; i++)
        {
            await bob.SendAsync($"message {i}", ct);
        }

        await bob.SendAsync("/leave", ct);
        await Poll.UntilAsync(() => chat.Logs.Has("Left"), "bob to leave");

        // Joining again from a new socket, as a client does: the bucket stays with the address.
        await using var bobAgain = chat.Peer();
        var rejoin = "/join bob".PadRight(64);
        var refused = await bobAgain.JoinAsync(rejoin, ct);
        time.Advance(TimeSpan.FromSeconds(1));
        var welcome = await bobAgain.JoinAsync(rejoin, ct);
        var toAlice = await alice.DrainAsync(ct);

        Assert.Equal("! too fast: messages dropped", refused);
        Assert.StartsWith("* you joined as bob ", welcome, StringComparison.Ordinal);
        Assert.Equal(38, toAlice.Count(l => l.StartsWith("<bob> message ", StringComparison.Ordinal)));
        Assert.Equal(["* bob left", "* bob joined"], toAlice.Where(l => l.StartsWith("* bob", StringComparison.Ordinal)));
        Assert.True(chat.Logs.Has("JoinRefused", r => r.Message.Contains("rejoining too fast", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_member_limit_refuses_one_more_member()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(o => o.MaxMembers = 2);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await using var carol = chat.Peer();

        await carol.SendAsync("/join carol" + new string(' ', 60), ct);
        await carol.SendAsync("/join carol", ct);

        Assert.Equal("! the chat is full: 2 members at most, try again later", await carol.ReceiveAsync(ct));
        Assert.Equal("! the chat is full", await carol.ReceiveAsync(ct));
        Assert.True(chat.Logs.Has("JoinRefused", r => r.Message.Contains("full", StringComparison.Ordinal)));
        Assert.Equal(2, chat.Handler.MemberCount);
    }

    [Fact]
    public async Task An_address_that_has_not_joined_gets_only_the_short_reply_and_nothing_is_relayed()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var stranger = chat.Peer();

        await stranger.SendAsync("hello everybody, may I talk to you?", ct);
        await stranger.SendAsync("/who is there at all, tell me please", ct);
        await stranger.SendAsync("/msg alice hi there, this is a stranger", ct);

        Assert.Equal("! join first with /join NICK", await stranger.ReceiveAsync(ct));
        Assert.Equal("! join first with /join NICK", await stranger.ReceiveAsync(ct));
        Assert.Equal("! join first with /join NICK", await stranger.ReceiveAsync(ct));
        Assert.Empty(await alice.DrainAsync(ct));
    }

    [Fact]
    public async Task No_reply_to_an_address_that_has_not_joined_is_larger_than_three_times_its_datagram()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(o => (o.Rate, o.Burst) = (1e6, 1e6));
        await using var stranger = chat.Peer();
        await using var member = await chat.JoinAsync("member", ct);
        var requests = new List<byte[]>();
        for (var length = 1; length <= 40; length++)
        {
            requests.Add(Encoding.ASCII.GetBytes(new string('x', length)));
            requests.Add(Encoding.ASCII.GetBytes("/join " + new string('!', Math.Max(0, length - 6)))[..length]);
            requests.Add(Enumerable.Repeat((byte)0xff, length).ToArray());
        }

        var answered = 0;
        foreach (var request in requests)
        {
            await stranger.SendAsync(request, ct);

            // The member's ping is answered after the stranger's datagram: whatever the stranger got has arrived.
            await member.DrainAsync(ct);
            foreach (var reply in stranger.Pending())
            {
                Assert.True(Encoding.UTF8.GetByteCount(reply) <= 3 * request.Length, $"{reply.Length} bytes answered {request.Length}");
                answered++;
            }
        }

        Assert.InRange(answered, 34, requests.Count);
    }

    [Theory]
    [InlineData(false, "/join tab\there", "! control characters are not allowed")]
    [InlineData(false, "/join \t", "! control character")]
    [InlineData(false, "/join \u00FF", "! not valid UTF-8")]
    [InlineData(false, "/join", "! usage")]
    [InlineData(true, "/x", "! bad")]
    [InlineData(true, "a\tb", "! bad")]
    [InlineData(true, "\u00FF\u00FF", "! bad")]
    [InlineData(true, "/nick", "! usage")]
    [InlineData(true, "/msg", "! usage")]
    [InlineData(true, "/msg z y", "! unknown")]
    [InlineData(true, "/nick !", "! bad")]
    public async Task Every_refusal_has_a_wording_for_the_smallest_request_that_causes_it(bool member, string request, string refusal)
    {
        // Each character is one byte: ÿ stands for 0xFF, which is never UTF-8.
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var peer = member ? await chat.JoinAsync("m", ct) : chat.Peer();
        var bytes = request.Select(c => (byte)c).ToArray();

        await peer.SendAsync(bytes, ct);

        Assert.Equal(refusal, await peer.ReceiveAsync(ct));
    }

    [Fact]
    public async Task A_member_silent_for_the_member_timeout_is_dropped_and_the_others_are_told()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var chat = LoopbackChat.Start(o => o.MemberTimeout = TimeSpan.FromSeconds(60), time);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        time.Advance(TimeSpan.FromSeconds(40));
        await bob.DrainAsync(ct);
        time.Advance(TimeSpan.FromSeconds(21));
        await Poll.UntilAsync(() => chat.Handler.MemberCount == 1, "alice to time out");

        Assert.Equal("* alice timed out", await bob.ReceiveAsync(ct));
        await alice.SendAsync("is anybody still there?", ct);
        Assert.Equal("! join first with /join NICK", await alice.ReceiveAsync(ct));
        Assert.True(chat.Logs.Has("TimedOut", r => r.Message.Contains("alice", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_and_its_token()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);

        await alice.SendAsync("/ping", ct);
        await alice.SendAsync("/PING 42", ct);

        Assert.Equal("/pong", await alice.ReceiveAsync(ct));
        Assert.Equal("/pong 42", await alice.ReceiveAsync(ct));
    }

    [Fact]
    public async Task An_unknown_command_is_an_error_and_a_double_slash_sends_a_text_starting_with_a_slash()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        await bob.SendAsync("/mgs alice this was meant to be private", ct);
        await bob.SendAsync("//etc/hosts is a file", ct);

        Assert.Equal(["! unknown command /mgs"], await bob.DrainAsync(ct));
        Assert.Equal(["<bob> /etc/hosts is a file"], await alice.DrainAsync(ct));
    }

    [Fact]
    public async Task A_repeated_join_with_the_same_name_is_welcomed_again_without_the_history_and_another_name_is_refused()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(o => o.History = 5);
        await using var alice = await chat.JoinAsync("alice", ct);
        await alice.SendAsync("one for the history", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        Assert.Equal(["<alice> one for the history"], await bob.DrainAsync(ct));
        await alice.DrainAsync(ct);

        await bob.SendAsync("/join bob", ct);
        await bob.SendAsync("/join robert, because I changed my mind", ct);

        Assert.Equal(["* you joined as bob (2 members)", "! already joined"], await bob.DrainAsync(ct));
        Assert.Empty(await alice.DrainAsync(ct));
    }

    [Fact]
    public async Task Stopping_the_server_tells_every_member()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start();
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);
        await alice.DrainAsync(ct);

        await chat.Server.StopAsync("the test");

        Assert.Equal("* server stopping", await alice.ReceiveAsync(ct));
        Assert.Equal("* server stopping", await bob.ReceiveAsync(ct));
        Assert.True(chat.Logs.Has("TellingStop") && chat.Logs.Has("ServerStopped"));
    }

    [Fact]
    public async Task The_server_serves_IPv6_loopback()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(address: IPAddress.IPv6Loopback);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var bob = await chat.JoinAsync("bob", ct);

        await bob.SendAsync("over IPv6", ct);

        Assert.Equal(["* bob joined", "<bob> over IPv6"], await alice.DrainAsync(ct));
    }
}
