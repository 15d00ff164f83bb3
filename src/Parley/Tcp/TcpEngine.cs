namespace Parley.Tcp;

/// <summary>What drives a <see cref="TcpServer"/>'s connections once they are accepted.</summary>
public enum TcpEngine
{
    /// <summary>The runtime's sockets (<see cref="System.Net.Sockets.NetworkStream"/>): every platform, every service.</summary>
    Sockets,

    /// <summary>
    /// Parley's own epoll loops (Linux on x86-64 or Arm64): one system call per read or write, none to wait for data,
    /// the handler's code run on the loop's thread. For services whose handlers never block, such as echo; connections
    /// with a <see cref="TcpServerOptions.Transform"/> (TLS) use the runtime's sockets.
    /// </summary>
    Epoll,
}
