using Parley.Tcp;

namespace Parley.Tests.Echo;

/// <summary>Every test of <see cref="EchoServerTests"/>, with the connections on Parley's epoll engine.</summary>
public sealed class EchoServerOnEpollTests : EchoServerTests
{
    protected override TcpEngine Engine => TcpEngine.Epoll;
}
