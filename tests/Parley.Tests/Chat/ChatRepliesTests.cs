using System.Text;
using Parley.Chat;

namespace Parley.Tests.Chat;

public sealed class ChatRepliesTests
{
    [Fact]
    public void A_long_member_list_is_split_over_datagrams_that_each_fit()
    {
        var names = Enumerable.Range(0, 300).Select(i => $"member_with_a_long_name_{i:000}").ToList();

        var lines = ChatReplies.Members(names, 1198).ToList();

        Assert.True(lines.Count > 1);
        Assert.All(lines, l => Assert.InRange(Encoding.UTF8.GetByteCount(l), 1, 1198));
        Assert.StartsWith("* members (300): member_with_a_long_name_000, ", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("* members (300), continued: ", l, StringComparison.Ordinal));
        var listed = lines.SelectMany(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(", ")).ToList();
        Assert.Equal(names, listed);
    }

    [Fact]
    public void An_empty_list_is_one_line() => Assert.Equal(["* members (0): "], ChatReplies.Members([], 1198));

    [Fact]
    public void Fit_takes_the_longest_wording_that_is_not_larger_than_the_request()
    {
        string[] wordings = ["! join first with /join NICK", "! join first", "! /join"];

        Assert.Equal("! join first with /join NICK\n"u8.ToArray(), ChatReplies.Fit(wordings, LineEnding.Lf, 100));
        Assert.Equal("! join first"u8.ToArray(), ChatReplies.Fit(wordings, LineEnding.None, 27));
        Assert.Equal("! /join\r\n"u8.ToArray(), ChatReplies.Fit(wordings, LineEnding.CrLf, 11));
        Assert.Null(ChatReplies.Fit(wordings, LineEnding.None, 6));
    }

    [Theory]
    [InlineData(1, 0, "* you joined as bob (1 member)")]
    [InlineData(2, 1, "* you joined as bob (2 members); the last message follows")]
    [InlineData(5, 20, "* you joined as bob (5 members); the last 20 messages follow")]
    public void The_welcome_counts_members_and_history(int members, int history, string expected) =>
        Assert.Equal(expected, ChatReplies.Welcome("bob", members, history));
}
