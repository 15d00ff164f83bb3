using Parley.Tests.Support;
using static Parley.Tests.Threats.ChatThreatSetup;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16: "Nicknames alice + U+034F, alice + U+FE00, Cyrillic а/е mixed into alice, fullwidth ａｌｉｃｅ while alice
/// is present: all accepted, indistinguishable from alice on screen".
/// </summary>
public sealed class ChatLookAlikeThreatTests
{
    [Theory]
    [InlineData("alice\u034F", "! invalid nickname")] // COMBINING GRAPHEME JOINER
    [InlineData("alice\uFE00", "! invalid nickname")] // VARIATION SELECTOR-1
    [InlineData("\u0430lice", "! invalid nickname")] // Cyrillic а
    [InlineData("alic\u0435", "! invalid nickname")] // Cyrillic е
    [InlineData("ａｌｉｃｅ", "! nickname ａｌｉｃｅ is taken: choose another")] // fullwidth
    [InlineData("aIice", "! aIice is taken")] // capital I for l (found by a black-box attack)
    public async Task A_name_that_looks_like_a_present_members_is_refused(string lookAlike, string refusal)
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        await using var alice = await chat.JoinAsync("alice", ct, Person);
        await using var impostor = chat.Peer(Attacker);

        Assert.Equal(refusal, await impostor.JoinAsync($"/join {lookAlike}", ct));
        Assert.Equal(1, chat.Handler.MemberCount);
    }

    [Theory]
    [InlineData("alice\u034F", "! invalid nickname")]
    [InlineData("\u0430lic\u0435", "! invalid nickname")]
    [InlineData("ａｌｉｃｅ", "! ａｌｉｃｅ is taken")]
    public async Task A_member_cannot_rename_itself_to_a_look_alike_either(string lookAlike, string refusal)
    {
        var ct = TestTimeout.Token();
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        await using var alice = await chat.JoinAsync("alice", ct, Person);
        await using var impostor = await chat.JoinAsync("mallory", ct, Attacker);
        Assert.Equal(["* mallory joined"], await alice.DrainAsync(ct));

        await impostor.SendAsync($"/nick {lookAlike}".PadRight(28), ct);

        Assert.Equal([refusal], await impostor.DrainAsync(ct));
        Assert.Empty(await alice.DrainAsync(ct));
    }
}
