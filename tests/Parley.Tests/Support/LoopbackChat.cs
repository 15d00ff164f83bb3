using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Parley.Chat;
using Parley.Udp;

namespace Parley.Tests.Support;

/// <summary>A real chat server (<see cref="UdpServer"/> with <see cref="ChatHandler"/>) on a loopback port chosen by the OS.</summary>
internal sealed class LoopbackChat : IAsyncDisposable
{
    private LoopbackChat(UdpServer server, ChatHandler handler, FakeLogCollector logs, ILoggerFactory loggerFactory)
    {
        Server = server;
        Handler = handler;
        Logs = logs;
        LoggerFactory = loggerFactory;
    }

    public UdpServer Server { get; }

    public ChatHandler Handler { get; }

    public FakeLogCollector Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IPEndPoint EndPoint => Server.EndPoint;

    public static LoopbackChat Start(Action<ChatServerOptions>? configure = null, TimeProvider? time = null, IPAddress? address = null)
    {
        var (factory, logs) = TestLogging.Create();
        var options = new ChatServerOptions();
        configure?.Invoke(options);
        var handler = new ChatHandler(options, factory, time);
        var server = new UdpServer(new UdpServerOptions { Address = address ?? IPAddress.Loopback, Port = 0 }, handler, factory, time);
        server.Start();
        return new LoopbackChat(server, handler, logs, factory);
    }

    /// <summary>A raw UDP peer of this server, not joined yet, sending from <paramref name="from"/> when given.</summary>
    public ChatPeer Peer(IPAddress? from = null) => ChatPeer.Open(EndPoint, from);

    /// <summary>A peer that has joined as <paramref name="nickname"/>, its welcome (and any history) read.</summary>
    public async Task<ChatPeer> JoinAsync(string nickname, CancellationToken cancellationToken, IPAddress? from = null)
    {
        var peer = Peer(from);
        var welcome = await peer.JoinAsync($"/join {nickname}", cancellationToken);
        Assert.StartsWith($"* you joined as {nickname} ", welcome, StringComparison.Ordinal);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync("test cleanup");
        LoggerFactory.Dispose();
    }
}
