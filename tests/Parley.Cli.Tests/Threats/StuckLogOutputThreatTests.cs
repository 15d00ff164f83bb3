using System.Net;
using System.Net.Sockets;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Threat: the server's standard error is a pipe that nobody reads (a forgotten <c>2&gt;&amp;1 | ...</c>, a stuck
/// log collector). Before, once the pipe was full, logging blocked the accept loop and the server stopped serving
/// after about 5,000 connections. The network code never waits on a log output: every client is still served, and
/// the server still stops on SIGTERM.
/// </summary>
public sealed class StuckLogOutputThreatTests
{
    [Fact]
    public async Task A_server_whose_standard_error_nobody_reads_keeps_serving_and_stops_on_SIGTERM()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        // bash gives parley a standard error whose reader (sleep) never reads: 64 KiB fill it after a few hundred lines,
        // and the log writer's queue (10,000 events) after about 5,000 connections, where the server used to stop.
        await using var server = ParleyProcess.StartInShell("exec {parley} 2> >(exec sleep 120 > /dev/null 2>&1)",
            "serve", "echo", "--host", "127.0.0.1", "--port", "0");
        var port = await server.WaitForListeningPortAsync(ct);
        var line = "hello, echo server\n"u8.ToArray();
        var back = new byte[line.Length];

        // Blocking calls with timeouts: thousands of short connections in a row, each bounded, without a thread-pool
        // hop per call.
        await Task.Run(() =>
        {
            for (var i = 0; i < 6_000; i++)
            {
                using var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 10_000, ReceiveTimeout = 10_000 };
                client.Connect(IPAddress.Loopback, port);
                client.Send(line);
                var got = 0;
                while (got < back.Length)
                {
                    var n = client.Receive(back.AsSpan(got));
                    Assert.True(n > 0, $"connection {i} closed before its echo");
                    got += n;
                }

                Assert.Equal(line, back);
            }
        }, ct).WaitAsync(ct);

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(ct));
    }
}
