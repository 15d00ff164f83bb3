using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Parley.Tcp;

namespace Parley.Tests.Support;

/// <summary>A real <see cref="TcpServer"/> on a loopback port chosen by the OS, with its log collected.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(TcpServer server, FakeLogCollector logs, ILoggerFactory loggerFactory)
    {
        Server = server;
        Logs = logs;
        LoggerFactory = loggerFactory;
    }

    public TcpServer Server { get; }

    public FakeLogCollector Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public int Port => Server.EndPoint.Port;

    public static LoopbackServer Start(
        Func<ILoggerFactory, ITcpConnectionHandler> handler, Action<TcpServerOptions>? configure = null,
        TimeProvider? timeProvider = null, IPAddress? address = null)
    {
        var (factory, logs) = TestLogging.Create();
        var options = new TcpServerOptions { Address = address ?? IPAddress.Loopback, Port = 0 };
        configure?.Invoke(options);
        var server = new TcpServer(options, handler(factory), factory, timeProvider);
        server.Start();
        return new LoopbackServer(server, logs, factory);
    }

    /// <summary>A connected client socket, optionally bound first to another loopback address (127.0.0.2, ...).</summary>
    public async Task<Socket> ConnectAsync(IPAddress? from = null, CancellationToken cancellationToken = default)
    {
        var target = Server.EndPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : Server.EndPoint.Address;
        if (target.Equals(IPAddress.Any))
        {
            target = IPAddress.Loopback;
        }

        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(target, Port, cancellationToken);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync("test cleanup");
        LoggerFactory.Dispose();
    }
}
