using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Tcp;

public sealed class TcpServerTests
{
    /// <summary>A handler that answers with far more than any socket buffer holds, to a client that never reads.</summary>
    private sealed class FloodingHandler : ITcpConnectionHandler
    {
        public const int Owed = 64 * 1024 * 1024;

        public string ServiceName => "flood";

        public string DescribeSettings() => "test";

        public async Task HandleAsync(ServerConnection connection) =>
            await connection.Transport.WriteAsync(new byte[Owed]);
    }

    [Fact]
    public async Task A_connection_stuck_writing_to_a_client_that_never_reads_is_aborted_a_timeout_after_the_idle_timeout()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var server = LoopbackServer.Start(_ => new FloodingHandler(), o => o.IdleTimeout = TimeSpan.FromSeconds(30), time);
        using var client = await server.ConnectAsync(cancellationToken: ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 1, "the connection");

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(server.Logs.Has("IdleTimeout"));
        Assert.Equal(1, server.Server.ConnectionCount);
        time.Advance(TimeSpan.FromSeconds(31));

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the stuck connection to be aborted");
        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("idle timeout", StringComparison.Ordinal)),
            "the disconnect to be logged");
    }

    [Theory]
    [InlineData(TcpEngine.Sockets)]
    [InlineData(TcpEngine.Epoll)]
    public async Task A_stop_waits_the_shutdown_timeout_for_writes_to_clients_that_never_read_then_aborts_them(TcpEngine engine)
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var server = StartFlooding(engine, time);
        var clients = await ConnectAsync(server, 3, ct);

        var requested = time.GetUtcNow();
        var stop = await RequestStopAsync(server);
        Assert.False(stop.IsCompleted);
        // The clock moves only when the test moves it, a second at a time: the stop may not be waiting on it yet.
        await Poll.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return stop.IsCompleted;
        }, "the stop to end");

        Assert.True(time.GetUtcNow() - requested >= server.Server.Options.ShutdownTimeout, $"stopped after {time.GetUtcNow() - requested}");
        var aborted = Assert.Single(server.Logs.Events("ConnectionsAborted"));
        Assert.Equal("3 connections did not finish within 00:00:05; aborting them", aborted.Message);
        foreach (var client in clients)
        {
            Assert.InRange(await ReceivedBeforeTheEndAsync(client, ct), 0, FloodingHandler.Owed - 1);
            client.Dispose();
        }
    }

    [Theory]
    [InlineData(TcpEngine.Sockets)]
    [InlineData(TcpEngine.Epoll)]
    public async Task Clients_that_leave_during_a_stop_end_it_at_once_without_waiting_for_the_shutdown_timeout(TcpEngine engine)
    {
        // A stop that ended before its timeout with writes parked on clients that never read: the clients had gone
        // (closing a socket with unread data resets the connection), and so had the writes that waited for them.
        var ct = TestTimeout.Token();
        await using var server = StartFlooding(engine, new FakeTimeProvider());
        var clients = await ConnectAsync(server, 3, ct);
        var stop = await RequestStopAsync(server);

        foreach (var client in clients)
        {
            client.Dispose();
        }

        await stop.WaitAsync(ct);
        Assert.False(server.Logs.Has("ConnectionsAborted"));
        Assert.Equal(3, server.Logs.Events("ClientDisconnected").Count);
    }

    private static LoopbackServer StartFlooding(TcpEngine engine, TimeProvider time) =>
        LoopbackServer.Start(_ => new FloodingHandler(), o => o.Engine = engine, time);

    /// <summary>Asks the server to stop, and returns the stop once it has told every connection.</summary>
    private static async Task<Task> RequestStopAsync(LoopbackServer server)
    {
        var stop = server.Server.StopAsync("the test");
        await Poll.UntilAsync(() => server.Logs.Has("ServerStopping"), "the stop to signal the connections");
        return stop;
    }

    /// <summary><paramref name="count"/> clients, each owed more by its handler than the socket buffers hold.</summary>
    private static async Task<List<Socket>> ConnectAsync(LoopbackServer server, int count, CancellationToken ct)
    {
        var clients = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            clients.Add(await server.ConnectAsync(cancellationToken: ct));
        }

        await Poll.UntilAsync(() => server.Server.ConnectionCount == count, "the connections");
        return clients;
    }

    /// <summary>Reads until the server's end closes or resets; returns how many bytes came.</summary>
    private static async Task<long> ReceivedBeforeTheEndAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                total += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Aborted with data still unsent: the end may come as a reset.
        }

        return total;
    }

    [Fact]
    public async Task A_server_that_never_started_stops_without_a_word()
    {
        var (factory, logs) = TestLogging.Create();
        var server = new TcpServer(new TcpServerOptions(), new FloodingHandler(), factory);

        await server.StopAsync();

        Assert.True(server.Completion.IsCompleted);
        Assert.Empty(logs.GetSnapshot());
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Information);
    }
}
