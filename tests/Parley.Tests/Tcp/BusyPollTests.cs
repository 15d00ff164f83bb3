using System.Text;
using Parley.Bench;
using Parley.Echo;
using Parley.Epoll;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Tcp;

/// <summary>
/// <see cref="TcpServerOptions.BusyPoll"/>: the epoll loops poll before they sleep while a server that asked for it
/// runs, for the longest any running server asked for, and not at all once they have stopped. (No other test asks
/// for polling, so these can read the process's loops while other tests use them.)
/// </summary>
public sealed class BusyPollTests
{
    private static LoopbackServer StartEcho(TimeSpan busyPoll, TcpEngine engine = TcpEngine.Epoll) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs), options =>
        {
            options.Engine = engine;
            options.BusyPoll = busyPoll;
        });

    private static async Task AssertEchoesAsync(LoopbackServer server, CancellationToken ct)
    {
        using var client = await server.ConnectAsync(cancellationToken: ct);
        var line = Encoding.ASCII.GetBytes("polled line\n");
        for (var i = 0; i < 100; i++)
        {
            await client.SendAllAsync(line, ct);
            Assert.Equal(line, await client.ReadExactlyAsync(line.Length, ct));
        }
    }

    [Fact]
    public async Task A_busy_polling_server_echoes_and_its_loops_poll_only_while_it_runs()
    {
        var ct = TestTimeout.Token();
        var server = StartEcho(TimeSpan.FromMicroseconds(50));
        await using (server)
        {
            Assert.Equal(TimeSpan.FromMicroseconds(50), EpollEngine.BusyPoll);
            Assert.Equal(50, EpollEngine.NextLoop().BusyPoll.TotalMicroseconds, 0.5);
            Assert.Contains(server.Logs.Events("ServerStarting"), e => e.Message.Contains("engine epoll (busy poll 50 µs)", StringComparison.Ordinal));
            await AssertEchoesAsync(server, ct);
        }

        Assert.Equal(TimeSpan.Zero, EpollEngine.BusyPoll);
        Assert.Equal(TimeSpan.Zero, EpollEngine.NextLoop().BusyPoll);
    }

    [Fact]
    public async Task Of_two_busy_polling_servers_the_loops_poll_for_the_longer_until_that_server_stops()
    {
        var ct = TestTimeout.Token();
        await using var brief = StartEcho(TimeSpan.FromMicroseconds(20));
        var eager = StartEcho(TimeSpan.FromMicroseconds(200));
        await using (eager)
        {
            Assert.Equal(TimeSpan.FromMicroseconds(200), EpollEngine.BusyPoll);
            await AssertEchoesAsync(eager, ct);
        }

        Assert.Equal(TimeSpan.FromMicroseconds(20), EpollEngine.BusyPoll);
        await AssertEchoesAsync(brief, ct);
    }

    [Fact]
    public async Task A_busy_polling_load_generator_counts_every_byte_and_leaves_the_loops_sleeping_afterwards()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start();
        var generator = new LoadGenerator(new BenchOptions
        {
            Port = server.Port,
            Host = "127.0.0.1",
            Connections = 4,
            Warmup = TimeSpan.FromMilliseconds(100),
            Duration = TimeSpan.FromMilliseconds(300),
            BusyPoll = TimeSpan.FromMicroseconds(100),
        });

        var running = generator.RunAsync(ct);
        await Poll.UntilAsync(() => generator.Phase == BenchPhase.Measuring, "the generator measuring");
        Assert.Equal(TimeSpan.FromMicroseconds(100), EpollEngine.BusyPoll);
        var result = await running;

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(server.BytesSent, result.BytesReceived);
        Assert.True(result.RoundTrips > 0);
        Assert.Equal(TimeSpan.Zero, EpollEngine.BusyPoll);
    }

    [Fact]
    public void A_negative_busy_poll_is_refused_before_anything_connects() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadGenerator(new BenchOptions { BusyPoll = TimeSpan.FromMicroseconds(-1) }));

    [Fact]
    public async Task A_server_on_the_runtimes_sockets_leaves_the_loops_sleeping_at_once()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(TimeSpan.FromMicroseconds(50), TcpEngine.Sockets);

        Assert.Equal(TimeSpan.Zero, EpollEngine.BusyPoll);
        Assert.DoesNotContain(server.Logs.Events("ServerStarting"), e => e.Message.Contains("busy poll", StringComparison.Ordinal));
        await AssertEchoesAsync(server, ct);
    }
}
