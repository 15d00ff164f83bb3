using System.Text;
using Parley.Tests.Support;
using static Parley.Tests.Threats.ChatThreatSetup;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16: "An 8-byte /join with a forged source address; a 4-byte /who: 24,019 bytes sent to the forged address
/// (3,000x: welcome and history); 10,130 bytes for /who". The forged address is played by a socket on another
/// loopback address that reads what it is sent, which a real victim would not have asked for.
/// </summary>
public sealed class ChatAmplificationThreatTests
{
    [Fact]
    public async Task An_eight_byte_join_from_an_unproven_address_gets_at_most_three_times_its_size_and_leaves_nothing_behind()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        await using var alice = await chat.JoinAsync("alice", ct);
        for (var i = 0; i < 20; i++)
        {
            await alice.SendAsync($"a long line for the history, number {i}: " + new string('x', 900), ct);
        }

        await alice.DrainAsync(ct);
        await using var victim = chat.Peer(Attacker);

        var join = "/join ab"u8.ToArray();
        await victim.SendAsync(join, ct);
        await alice.DrainAsync(ct);
        var received = victim.Pending();

        var sent = received.Sum(Encoding.UTF8.GetByteCount);
        Assert.InRange(sent, 1, 3 * join.Length);
        Assert.Matches(@"^\? /join ab [0-9A-Z]{8}$", Assert.Single(received));
        Assert.Equal(1, chat.Handler.MemberCount);

        // The forged join reserved nothing: the name is free for whoever really joins.
        await using var person = chat.Peer(Person);
        Assert.StartsWith("* you joined as ab (2 members)", await person.JoinAsync("/join ab", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_four_byte_who_from_an_unproven_address_gets_at_most_three_times_its_size()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        var members = new List<ChatPeer>();
        for (var i = 0; i < 30; i++)
        {
            members.Add(await chat.JoinAsync($"member_with_a_long_name_{i:00}", ct));
        }

        await using var victim = chat.Peer(Attacker);

        var who = "/who"u8.ToArray();
        await victim.SendAsync(who, ct);
        await members[0].DrainAsync(ct);
        var received = victim.Pending();

        Assert.InRange(received.Sum(Encoding.UTF8.GetByteCount), 1, 3 * who.Length);
        Assert.Equal(["! join first"], received);
        foreach (var member in members)
        {
            await member.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_forged_answer_with_a_wrong_code_gets_a_new_challenge_and_no_welcome()
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        await using var alice = await chat.JoinAsync("alice", ct);
        await using var forger = chat.Peer(Attacker);

        await forger.SendAsync("/join mallory 00000000", ct);
        await alice.DrainAsync(ct);

        Assert.Matches(@"^\? /join mallory [0-9A-Z]{8}$", Assert.Single(forger.Pending()));
        Assert.Equal(1, chat.Handler.MemberCount);
    }
}
