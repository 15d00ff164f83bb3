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
        public string ServiceName => "flood";

        public string DescribeSettings() => "test";

        public async Task HandleAsync(ServerConnection connection) =>
            await connection.Transport.WriteAsync(new byte[64 * 1024 * 1024]);
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
