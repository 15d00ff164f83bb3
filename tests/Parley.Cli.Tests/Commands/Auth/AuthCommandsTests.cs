using System.Net;
using Parley.Cli.Commands.Auth;
using Parley.Tcp;

namespace Parley.Cli.Tests.Commands.Auth;

public sealed class AuthCommandsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.5", false)]
    [InlineData("::1", false)]
    public void The_cleartext_warning_is_given_when_listening_beyond_loopback(string? address, bool warned)
    {
        // Only the decision: no socket is opened, and no address but loopback is ever used by tests.
        var options = new TcpServerOptions { Address = address is null ? null : IPAddress.Parse(address) };

        Assert.Equal(warned, AuthCommands.IsCleartextBeyondLoopback(options));
    }
}
