using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Echo;
using Parley.Net;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Net;

public sealed class ListenerBinderTests
{
    [Fact]
    public void A_port_in_use_makes_the_server_take_the_next_one_and_say_so()
    {
        using var held = HoldFreePorts(1, out var port);
        var (factory, logs) = TestLogging.Create();

        using var listener = ListenerBinder.Bind(IPAddress.Loopback, port, 20, 16, SocketType.Stream, ProtocolType.Tcp, ReportTo(factory));

        var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Assert.NotEqual(port, bound);
        Assert.True(bound > port);
        var busy = logs.Events("PortInUse").First();
        Assert.Equal(LogLevel.Warning, busy.Level);
        Assert.StartsWith($"port {port} is in use, trying {port + 1}", busy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_every_port_tried_is_in_use_the_error_says_which()
    {
        using var held = HoldFreePorts(3, out var port);
        var (factory, _) = TestLogging.Create();

        var e = Assert.Throws<ListenException>(() =>
            ListenerBinder.Bind(IPAddress.Loopback, port, 3, 16, SocketType.Stream, ProtocolType.Tcp, ReportTo(factory)));

        Assert.Equal(ListenFailure.PortsInUse, e.Failure);
        Assert.Equal($"ports {port} to {port + 2} are all in use on 127.0.0.1", e.Message);
    }

    [Fact]
    public async Task Two_servers_started_at_the_same_instant_on_one_port_both_come_up_on_different_ports()
    {
        var ct = TestTimeout.Token();
        int port;
        using (HoldFreePorts(1, out port))
        {
        }

        var (factory, _) = TestLogging.Create();
        using var start = new Barrier(2);
        var servers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var server = new TcpServer(new TcpServerOptions { Address = IPAddress.Loopback, Port = port, PortTries = 20 },
                new EchoHandler(new EchoOptions(), factory), factory);
            start.SignalAndWait(ct);
            server.Start();
            return server;
        }, ct)));

        try
        {
            Assert.NotEqual(servers[0].EndPoint.Port, servers[1].EndPoint.Port);
            Assert.All(servers, s => Assert.InRange(s.EndPoint.Port, port, port + 19));
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.StopAsync()));
        }
    }

    [Fact]
    public void An_address_that_is_not_on_this_machine_is_reported_as_such_and_not_skipped_over()
    {
        var (factory, logs) = TestLogging.Create();

        // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine; nothing is sent anywhere.
        var e = Assert.Throws<ListenException>(() =>
            ListenerBinder.Bind(IPAddress.Parse("203.0.113.7"), 9000, 20, 16, SocketType.Stream, ProtocolType.Tcp, ReportTo(factory)));

        Assert.Equal(ListenFailure.AddressNotAvailable, e.Failure);
        Assert.Equal("cannot listen on 203.0.113.7: that address is not on this machine", e.Message);
        Assert.False(logs.Has("PortInUse"));
    }

    [Fact]
    public void Port_0_takes_any_free_port()
    {
        var (factory, _) = TestLogging.Create();

        using var listener = ListenerBinder.Bind(IPAddress.Loopback, 0, 20, 16, SocketType.Stream, ProtocolType.Tcp, ReportTo(factory));

        Assert.NotEqual(0, ((IPEndPoint)listener.LocalEndPoint!).Port);
    }

    /// <summary>Holds <paramref name="count"/> consecutive free loopback ports, the first chosen by the OS.</summary>
    internal static IDisposable HoldFreePorts(int count, out int first)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var sockets = new List<Socket>();
            var start = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            start.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            start.Listen();
            sockets.Add(start);
            first = ((IPEndPoint)start.LocalEndPoint!).Port;
            try
            {
                for (var i = 1; i < count; i++)
                {
                    var next = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    sockets.Add(next);
                    next.Bind(new IPEndPoint(IPAddress.Loopback, first + i));
                    next.Listen();
                }

                return new Held(sockets);
            }
            catch (SocketException)
            {
                sockets.ForEach(s => s.Dispose());
            }
        }

        throw new InvalidOperationException("Found no run of free ports.");
    }

    private sealed class Held(List<Socket> sockets) : IDisposable
    {
        public void Dispose() => sockets.ForEach(s => s.Dispose());
    }

    private static Action<int, string, int> ReportTo(ILoggerFactory factory) =>
        (port, reason, next) => TcpLog.PortInUse(factory.CreateLogger("test"), port, reason, next);
}
