using Parley.Tests.Support;
using static Parley.Tests.Threats.ChatThreatSetup;

namespace Parley.Tests.Threats;

/// <summary>Issue 16: "1,000 /joins from one host (one port each) to serve chat: room full for everyone else".</summary>
public sealed class ChatJoinFloodThreatTests
{
    [Fact]
    public async Task A_thousand_joins_from_one_host_leave_room_for_a_person_from_another_address()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        await using var chat = LoopbackChat.Start(AsTheCliSetsIt);
        using var attacker = new ChatCrowd(chat.EndPoint, Attacker);

        var answers = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            answers.Add(await attacker.JoinAsync($"bot{i:000}", ct));
        }

        await using var person = await chat.JoinAsync("person", ct, Person);

        Assert.Equal(32, answers.Count(a => a.StartsWith("* you joined as bot", StringComparison.Ordinal)));
        Assert.Equal(968, answers.Count(a => a == "! too many from your address"));
        Assert.Equal(33, chat.Handler.MemberCount);
        Assert.Equal(968, chat.Handler.JoinsRefusedPerAddress);

        // Counted, and logged at most once a second, never once per refused join.
        var reports = chat.Logs.Events("TooManyFromAddress");
        Assert.InRange(reports.Count, 1, 100);
        Assert.All(reports, r => Assert.Contains("127.0.0.2", r.Message, StringComparison.Ordinal));
    }
}
