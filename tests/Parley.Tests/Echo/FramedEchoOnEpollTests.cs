using Parley.Tcp;

namespace Parley.Tests.Echo;

/// <summary>Every test of <see cref="FramedEchoTests"/>, with the connections on Parley's epoll engine.</summary>
public sealed class FramedEchoOnEpollTests : FramedEchoTests
{
    protected override TcpEngine Engine => TcpEngine.Epoll;
}
