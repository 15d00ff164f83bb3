using System.Net;
using Parley.Identity;

namespace Parley.Tests.Identity;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData(" Alice ", "Alice")]
    [InlineData("Jean-Luc Picard", "Jean-Luc Picard")]
    [InlineData("🙂", "🙂")]
    public void A_valid_name_is_trimmed(string text, string expected)
    {
        Assert.Equal(expected, NameRules.Check(text, out _));
    }

    [Fact]
    public void Length_counts_characters_not_UTF_16_units()
    {
        Assert.NotNull(NameRules.Check(string.Concat(Enumerable.Repeat("🙂", 64)), out _));
        Assert.Null(NameRules.Check(string.Concat(Enumerable.Repeat("🙂", 65)), out var reason));
        Assert.Contains("65 characters", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a\u0000b")]
    [InlineData("a\u001bb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u2066b")]
    public void Empty_names_and_control_characters_are_refused(string? text)
    {
        Assert.Null(NameRules.Check(text, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void An_IPv4_mapped_IPv6_address_is_stored_as_the_IPv4_address()
    {
        Assert.Equal("127.0.0.2", ClientStore.Key(IPAddress.Parse("::ffff:127.0.0.2")));
        Assert.Equal("::1", ClientStore.Key(IPAddress.IPv6Loopback));
    }
}
