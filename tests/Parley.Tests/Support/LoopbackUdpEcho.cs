using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Parley.Echo;
using Parley.Udp;

namespace Parley.Tests.Support;

/// <summary>A real UDP echo server (<see cref="UdpServer"/> with <see cref="UdpEchoHandler"/>) on a loopback port chosen by the OS.</summary>
internal sealed class LoopbackUdpEcho : IAsyncDisposable
{
    private readonly ILoggerFactory _factory;

    private LoopbackUdpEcho(UdpServer server, UdpEchoHandler handler, FakeLogCollector logs, ILoggerFactory factory)
    {
        Server = server;
        Handler = handler;
        Logs = logs;
        _factory = factory;
    }

    public UdpServer Server { get; }

    public UdpEchoHandler Handler { get; }

    public FakeLogCollector Logs { get; }

    public IPEndPoint EndPoint => Server.EndPoint;

    public static LoopbackUdpEcho Start(Action<UdpEchoOptions>? configure = null, TimeProvider? time = null)
    {
        var (factory, logs) = TestLogging.Create();
        var options = new UdpEchoOptions();
        configure?.Invoke(options);
        var handler = new UdpEchoHandler(options, factory, time);
        var server = new UdpServer(new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 }, handler, factory, time);
        server.Start();
        return new LoopbackUdpEcho(server, handler, logs, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync("test cleanup");
        _factory.Dispose();
    }
}
