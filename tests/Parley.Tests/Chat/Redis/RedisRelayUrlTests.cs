using Parley.Chat.Redis;

namespace Parley.Tests.Chat.Redis;

public sealed class RedisRelayUrlTests
{
    [Theory]
    [InlineData("redis://localhost", "localhost", 6379, null, null, 0)]
    [InlineData("redis://127.0.0.1:6390/3", "127.0.0.1", 6390, null, null, 3)]
    [InlineData("redis://:s%40cret@cache.lab:7000/1", "cache.lab", 7000, null, "s@cret", 1)]
    [InlineData("redis://chat:pw@[::1]:6379", "::1", 6379, "chat", "pw", 0)]
    public void A_relay_url_gives_host_port_user_password_and_database(string text, string host, int port, string? user, string? password, int database)
    {
        Assert.True(RedisRelayUrl.TryParse(text, out var url, out _));

        Assert.Equal((host, port, user, password, database), (url!.Host, url.Port, url.User, url.Password, url.Database));
    }

    [Theory]
    [InlineData("localhost:6379", "a relay is a URL redis://[:PASSWORD@]HOST[:PORT][/DB]")]
    [InlineData("redis://host/db", "the database must be a number, not 'db'")]
    [InlineData("redis://host/0?ssl=true", "a relay URL takes no ?query or #fragment")]
    [InlineData("redis://", "not a valid URL: use redis://[:PASSWORD@]HOST[:PORT][/DB]")]
    public void A_malformed_relay_url_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(RedisRelayUrl.TryParse(text, out _, out var problem));

        Assert.Equal(reason, problem);
    }

    [Fact]
    public void A_relay_url_is_shown_without_its_password()
    {
        Assert.True(RedisRelayUrl.TryParse("redis://:hunter2@10.0.0.5:6380/2", out var url, out _));

        Assert.Equal("redis://10.0.0.5:6380/2", url!.ToString());
        Assert.Equal("10.0.0.5:6380", url.HostAndPort);
    }
}
