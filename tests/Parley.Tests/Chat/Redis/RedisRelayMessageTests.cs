using Parley.Chat;
using Parley.Chat.Redis;

namespace Parley.Tests.Chat.Redis;

public sealed class RedisRelayMessageTests
{
    [Fact]
    public void Each_kind_of_relay_message_is_read_back()
    {
        Assert.Equal(("s1", new ChatRelayEvent(ChatRelayEventKind.Joined, "alice")), RedisRelayMessage.Parse("J\ns1\nalice"));
        Assert.Equal(("s1", new ChatRelayEvent(ChatRelayEventKind.TimedOut, "alice")), RedisRelayMessage.Parse("T\ns1\nalice"));
        Assert.Equal(("s1", new ChatRelayEvent(ChatRelayEventKind.Renamed, "bob", "rob")), RedisRelayMessage.Parse("R\ns1\nbob\nrob"));
        Assert.Equal(("s1", new ChatRelayEvent(ChatRelayEventKind.Public, "bob", "", "hi\nthere")), RedisRelayMessage.Parse("M\ns1\nbob\n\nhi\nthere"));
        Assert.Equal(("s2", new ChatRelayEvent(ChatRelayEventKind.Private, "bob", "alice", "psst")),
            RedisRelayMessage.Parse(RedisRelayMessage.Private("s2", "bob", "alice", "psst")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("J")]
    [InlineData("J\ns1")]
    [InlineData("J\ns1\nalice\nextra")]
    [InlineData("X\ns1\nalice")]
    [InlineData("Join\ns1\nalice")]
    [InlineData("M\ns1\nbob")]
    public void Anything_else_on_the_channel_is_no_relay_message(string message) => Assert.Null(RedisRelayMessage.Parse(message));
}
