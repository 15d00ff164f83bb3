using Parley.Echo;

namespace Parley.Tests.Echo;

public sealed class EchoClientResultTests
{
    [Fact]
    public void A_connection_reset_before_anything_came_back_gets_the_TLS_hint_like_a_close_does()
    {
        var reset = new EchoClientResult(EchoClientOutcome.ConnectionLost, Sent: 6, Returned: 0, Unit: "bytes").Describe();
        var closed = new EchoClientResult(EchoClientOutcome.Incomplete, Sent: 6, Returned: 0, Unit: "bytes").Describe();

        Assert.Contains("without echoing anything of 6 bytes sent (is it a TLS server? then add --tls)", reset, StringComparison.Ordinal);
        Assert.StartsWith("the connection was lost (reset or broken)", reset, StringComparison.Ordinal);
        Assert.Contains("without echoing anything of 6 bytes sent (is it a TLS server? then add --tls)", closed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_lost_after_echoes_or_before_sending_anything_says_only_that()
    {
        Assert.Equal("the connection was lost (reset or broken)",
            new EchoClientResult(EchoClientOutcome.ConnectionLost, Sent: 6, Returned: 3, Unit: "bytes").Describe());
        Assert.Equal("the connection was lost (reset or broken)",
            new EchoClientResult(EchoClientOutcome.ConnectionLost, Sent: 0, Returned: 0, Unit: "bytes").Describe());
    }
}
