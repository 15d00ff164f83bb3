using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Echo;
using Parley.Tests.Support;
using Parley.Udp;

namespace Parley.Tests.Udp;

/// <summary>The UDP server's batched send (<see cref="UdpServer.SendBatchAsync"/>), which the chat relays with.</summary>
public sealed class UdpServerTests : IAsyncLifetime
{
    private readonly List<Socket> _receivers = [];
    private readonly List<(UdpServer Server, ILoggerFactory Factory)> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (server, factory) in _servers)
        {
            await server.StopAsync("test cleanup");
            factory.Dispose();
        }

        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
        }
    }

    [Fact]
    public async Task A_batch_larger_than_one_system_call_reaches_every_destination_in_the_order_given()
    {
        var (server, _) = Start();
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(30));
        var receivers = Enumerable.Range(0, 3).Select(_ => Receiver()).ToList();
        var batch = Enumerable.Range(0, 100)
            .SelectMany(n => receivers.Select((r, i) => Outgoing(server, $"{i}:{n}", (IPEndPoint)r.LocalEndPoint!)))
            .ToArray();

        await server.SendBatchAsync(batch);

        for (var i = 0; i < receivers.Count; i++)
        {
            for (var n = 0; n < 100; n++)
            {
                Assert.Equal($"{i}:{n}", await ReceiveAsync(receivers[i], ct));
            }
        }

        Assert.Equal(300, server.DatagramsSent);
    }

    [Fact]
    public async Task A_destination_the_system_refuses_is_logged_and_the_datagrams_after_it_still_go()
    {
        var (server, logs) = Start();
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(30));
        var (a, b) = (Receiver(), Receiver());
        // Linux refuses port 0 (EINVAL), other systems too: the system call stops there, and the one-datagram send
        // (the same that waits when the buffer is full, which loopback never lets happen) reports it.
        var refused = new IPEndPoint(IPAddress.Loopback, 0);
        var batch = new[]
        {
            Outgoing(server, "a1", (IPEndPoint)a.LocalEndPoint!),
            Outgoing(server, "lost", refused),
            Outgoing(server, "b1", (IPEndPoint)b.LocalEndPoint!),
            Outgoing(server, "a2", (IPEndPoint)a.LocalEndPoint!),
        };

        await server.SendBatchAsync(batch);

        Assert.Equal("a1", await ReceiveAsync(a, ct));
        Assert.Equal("a2", await ReceiveAsync(a, ct));
        Assert.Equal("b1", await ReceiveAsync(b, ct));
        Assert.Equal(3, server.DatagramsSent);
        var failed = Assert.Single(logs.Events("SendFailed"));
        Assert.Contains(refused.ToString(), failed.Message, StringComparison.Ordinal);
    }

    /// <summary>A UDP server (its handler echoes, which these tests do not use) whose send path is tested.</summary>
    private (UdpServer Server, Microsoft.Extensions.Logging.Testing.FakeLogCollector Logs) Start()
    {
        var (factory, logs) = TestLogging.Create();
        var server = new UdpServer(
            new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 },
            new UdpEchoHandler(new UdpEchoOptions(), factory), factory);
        _servers.Add((server, factory));
        server.Start();
        return (server, logs);
    }

    private static UdpOutgoing Outgoing(UdpServer server, string text, IPEndPoint to) => new(Encoding.UTF8.GetBytes(text), to, server.AddressOf(to));

    private Socket Receiver()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1024 * 1024 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receivers.Add(socket);
        return socket;
    }

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[2048];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
