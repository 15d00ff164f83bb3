using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Echo;
using Parley.Tests.Support;
using Parley.Udp;

namespace Parley.Tests.Echo;

/// <summary>The UDP echo (<see cref="UdpEchoHandler"/> on a <see cref="UdpServer"/>) over real sockets on loopback.</summary>
public sealed class UdpEchoServerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1500)]
    [InlineData(UdpEchoHandler.MaxDatagramBytes)]
    public async Task Every_datagram_comes_back_unchanged_and_whole(int size)
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        using var client = Client();
        var datagram = new byte[size];
        new Random(size).NextBytes(datagram);

        await client.SendToAsync(datagram, echo.EndPoint, ct);
        var reply = await ReceiveAsync(client, ct);

        Assert.Equal(datagram, reply);
        await Poll.UntilAsync(() => echo.Logs.Has("DatagramSent"), "the data event");
        Assert.True(echo.Logs.Has("DatagramSent", r => r.Message == $"Sent {size} bytes to {client.LocalEndPoint}"));
        Assert.True(echo.Logs.Has("DatagramReceived", r => r.Message.StartsWith($"Received {size} bytes from {client.LocalEndPoint}: \"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_sender_gets_its_own_datagrams_back_and_nobody_elses()
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        using var alice = Client();
        using var bob = Client();

        await alice.SendToAsync("from alice"u8.ToArray(), echo.EndPoint, ct);
        await bob.SendToAsync("from bob"u8.ToArray(), echo.EndPoint, ct);
        await alice.SendToAsync("alice again"u8.ToArray(), echo.EndPoint, ct);

        Assert.Equal("from alice"u8.ToArray(), await ReceiveAsync(alice, ct));
        Assert.Equal("alice again"u8.ToArray(), await ReceiveAsync(alice, ct));
        Assert.Equal("from bob"u8.ToArray(), await ReceiveAsync(bob, ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(19)]
    [InlineData(37)]
    public async Task A_datagram_from_the_port_of_an_echo_like_service_is_dropped_and_reported_once(int port)
    {
        var time = new FakeTimeProvider();
        await using var echo = LoopbackUdpEcho.Start(time: time);
        var forged = new IPEndPoint(IPAddress.Loopback, port);

        // Forged senders cannot be made with a real socket without privileges: the handler is fed directly, as the
        // server would.
        for (var i = 0; i < 5; i++)
        {
            await echo.Handler.HandleAsync(new UdpDatagram(new byte[10], forged));
        }

        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, echo.Handler.Echoed);
        Assert.Equal(5, echo.Handler.Dropped);
        Assert.Equal(0, echo.Server.DatagramsSent);
        var report = Assert.Single(echo.Logs.Events("ServicePortDatagrams"));
        Assert.Equal(LogLevel.Warning, report.Level);
        Assert.StartsWith($"Dropped 5 datagrams from port 0 or the ports of echo-like services (7, 13, 17, 19, 37) in the last 1.0 s, the last from 127.0.0.1:{port}:", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_datagram_forged_from_the_servers_own_address_and_port_is_dropped_so_it_cannot_loop()
    {
        var time = new FakeTimeProvider();
        await using var echo = LoopbackUdpEcho.Start(time: time);

        await echo.Handler.HandleAsync(new UdpDatagram("loop?"u8.ToArray(), echo.EndPoint));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, echo.Handler.Echoed);
        Assert.Equal(0, echo.Server.DatagramsSent);
        Assert.Equal(0, echo.Server.DatagramsReceived);
        Assert.True(echo.Logs.Has("OwnEndPointDatagrams", r => r.Message.StartsWith(
            $"Dropped 1 datagrams from this server's own address and port in the last 1.0 s, the last from {echo.EndPoint}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Over_the_rate_limit_the_excess_is_dropped_counted_and_logged_once_a_second_and_others_are_still_served()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var echo = LoopbackUdpEcho.Start(o => o.RatePerAddress = 10, time);
        using var flooder = Client();
        using var other = Client(IPAddress.Parse("127.0.0.2"));

        for (var i = 0; i < 50; i++)
        {
            await flooder.SendToAsync(new byte[] { (byte)i }, echo.EndPoint, ct);
        }

        await Poll.UntilAsync(() => echo.Server.DatagramsReceived == 50, "the flood to be handled");
        await other.SendToAsync("still there?"u8.ToArray(), echo.EndPoint, ct);
        Assert.Equal("still there?"u8.ToArray(), await ReceiveAsync(other, ct));

        // Bursts of twice the rate: the first 20 come back, in order; the other 30 were dropped.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(new[] { (byte)i }, await ReceiveAsync(flooder, ct));
        }

        Assert.Equal(0, flooder.Available);
        Assert.Empty(echo.Logs.Events("RateLimitedDatagrams"));
        time.Advance(TimeSpan.FromSeconds(1));
        var report = Assert.Single(echo.Logs.Events("RateLimitedDatagrams"));
        Assert.Equal(
            "Dropped 30 datagrams over the rate limit of 10 a second per address (bursts of 20) in the last 1.0 s, from 1 addresses; most from 127.0.0.1: 30",
            report.Message);

        // A second later the sender may send again: ten more tokens.
        await flooder.SendToAsync("later"u8.ToArray(), echo.EndPoint, ct);
        Assert.Equal("later"u8.ToArray(), await ReceiveAsync(flooder, ct));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(echo.Logs.Events("RateLimitedDatagrams"));
    }

    [Fact]
    public async Task The_table_of_senders_stays_bounded_and_forgets_silent_ones()
    {
        var time = new FakeTimeProvider();
        await using var echo = LoopbackUdpEcho.Start(o => { o.RatePerAddress = 1; o.MaxTrackedAddresses = 100; }, time);

        // A flood from ever new (forged) addresses, three datagrams each: a burst of two echoed, one over the limit.
        for (var i = 0; i < 1000; i++)
        {
            var from = new IPEndPoint(new IPAddress([127, 1, (byte)(i / 250), (byte)(i % 250)]), 40000);
            for (var j = 0; j < 3; j++)
            {
                await echo.Handler.HandleAsync(new UdpDatagram(new byte[1], from));
            }
        }

        Assert.Equal(100, echo.Handler.TrackedAddresses);
        Assert.Single(echo.Logs.Events("SenderTableFull"));
        // The 900 addresses beyond the table share one bucket: the flood gains nothing by forging more addresses.
        Assert.Equal((100 * 2) + 2, echo.Handler.Echoed);
        Assert.Equal(3000 - 202, echo.Handler.Dropped);

        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, echo.Handler.TrackedAddresses);
        Assert.EndsWith("from 101 addresses; most from addresses beyond the table: 2698", echo.Logs.Events("RateLimitedDatagrams")[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_logs_the_totals()
    {
        var ct = TestTimeout.Token();
        var echo = LoopbackUdpEcho.Start();
        using var client = Client();
        await client.SendToAsync("one"u8.ToArray(), echo.EndPoint, ct);
        await ReceiveAsync(client, ct);
        await echo.Handler.HandleAsync(new UdpDatagram(new byte[1], new IPEndPoint(IPAddress.Loopback, 19)));

        await echo.DisposeAsync();

        Assert.True(echo.Logs.Has("UdpEchoTotals", r => r.Message ==
            "Echoed 1 datagrams; dropped 0 over the rate limit, 1 from echo-like service ports, 0 from the server's own address"));
    }

    private static Socket Client(IPAddress? address = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[UdpServer.ReceiveBufferLength];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
        return buffer[..n];
    }
}
