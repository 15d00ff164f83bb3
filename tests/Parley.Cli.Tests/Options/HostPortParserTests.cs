using Parley.Cli.Options;

namespace Parley.Cli.Tests.Options;

public sealed class HostPortParserTests
{
    [Theory]
    [InlineData("localhost", "localhost", null)]
    [InlineData(" server.example ", "server.example", null)]
    [InlineData("localhost:9001", "localhost", 9001)]
    [InlineData("10.0.0.1:80", "10.0.0.1", 80)]
    [InlineData("::1", "::1", null)]
    [InlineData("fe80::1%eth0", "fe80::1%eth0", null)]
    [InlineData("[::1]", "::1", null)]
    [InlineData("[::1]:9000", "::1", 9000)]
    public void A_host_may_carry_its_port_and_IPv6_needs_brackets_for_that(string text, string host, int? port)
    {
        Assert.True(HostPortParser.TrySplit(text, out var actualHost, out var actualPort, out _));

        Assert.Equal((host, port), (actualHost, actualPort));
    }

    [Theory]
    [InlineData("localhost:", "'localhost:': a port number is needed")]
    [InlineData("localhost:0", "'localhost:0': 0 is out of range: a port is a whole number from 1 to 65535")]
    [InlineData("[::1]9000", "'[::1]9000' is not an address: write an IPv6 address with a port as [address]:port")]
    [InlineData(":9000", "give the name or address of the echo server")]
    [InlineData("[]", "give the name or address of the echo server")]
    public void A_malformed_host_is_a_clear_reason(string text, string expected)
    {
        Assert.False(HostPortParser.TrySplit(text, out _, out _, out var reason));

        Assert.Equal(expected, reason);
    }
}
