using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Bench;

/// <summary><c>parley bench</c> as a user or a script runs it: the JSON parses, the counts agree, errors are one line.</summary>
public sealed class BenchProcessTests
{
    [Fact]
    public async Task Json_output_parses_and_every_byte_sent_came_back()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, bench) = await ParleyProcess.RunAsync("", ct,
            "bench", "127.0.0.1", "--port", $"{port}", "--connections", "3", "--duration", "2s", "--warmup", "0", "--json");
        await using var __ = bench;

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(bench.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("pingpong", root.GetProperty("mode").GetString());
        Assert.Equal(3, root.GetProperty("connections").GetInt32());
        Assert.True(root.GetProperty("verification").GetProperty("ok").GetBoolean());
        Assert.True(root.GetProperty("roundTripsPerSecond").GetDouble() > 0);
        var sent = root.GetProperty("bytesSent").GetInt64();
        Assert.True(sent > 0);
        Assert.Equal(sent, root.GetProperty("bytesReceived").GetInt64());
        Assert.Equal(sent, root.GetProperty("messagesEchoed").GetInt64() * 64);
        var latency = root.GetProperty("latencyMicroseconds");
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.Contains("bench: measuring", bench.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_polling_generator_against_a_busy_polling_server_gets_every_byte_back()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--busy-poll", "50");
        await using var _ = server;

        var (exit, bench) = await ParleyProcess.RunAsync("", ct,
            "bench", "127.0.0.1", "--port", $"{port}", "--connections", "2", "--duration", "1s", "--warmup", "0", "--busy-poll", "50", "--json");
        await using var __ = bench;

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(bench.StandardOutput);
        Assert.True(json.RootElement.GetProperty("verification").GetProperty("ok").GetBoolean());
        Assert.True(json.RootElement.GetProperty("roundTrips").GetInt64() > 0);
    }

    [Fact]
    public async Task Stream_mode_prints_a_table_with_the_per_connection_spread()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--chunk-size", "65536");
        await using var _ = server;

        var (exit, bench) = await ParleyProcess.RunAsync("", ct,
            "bench", "127.0.0.1", "-p", $"{port}", "-c", "4", "-s", "16384", "--mode", "stream", "-d", "1s", "--warmup", "0");
        await using var __ = bench;

        Assert.Equal(0, exit);
        Assert.Contains("stream, 4 connections, 16384-byte lines", bench.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"per connection +MiB/s: slowest [\d.,]+, median [\d.,]+, fastest [\d.,]+", bench.StandardOutput);
        Assert.Contains("every byte echoed unchanged", bench.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_corrupts_the_echo_fails_the_run_with_exit_code_1()
    {
        var ct = TestTimeout.Token();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var serving = CorruptingEchoAsync(listener, ct);

        var (exit, bench) = await ParleyProcess.RunAsync("", ct,
            "bench", "127.0.0.1", "--port", $"{((IPEndPoint)listener.LocalEndPoint!).Port}", "--duration", "1s", "--warmup", "0", "--json");
        await using var _ = bench;
        listener.Dispose();
        await serving;

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(bench.StandardOutput);
        var verification = json.RootElement.GetProperty("verification");
        Assert.False(verification.GetProperty("ok").GetBoolean());
        Assert.True(verification.GetProperty("mismatchedBytes").GetInt64() > 0);
        Assert.Contains("parley: the echo from 127.0.0.1:", bench.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_is_one_clear_line_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var (exit, bench) = await ParleyProcess.RunAsync("", ct, "bench", "127.0.0.1", "--port", $"{port}", "-d", "1s");
        await using var _ = bench;

        Assert.Equal(1, exit);
        Assert.StartsWith($"parley: cannot connect to 127.0.0.1:{port}: connection refused", bench.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bench.StandardError, StringComparison.Ordinal);
        Assert.Equal("", bench.StandardOutput);
    }

    [Theory]
    [InlineData("--connections", "0")]
    [InlineData("--size", "0")]
    [InlineData("--mode", "burst")]
    [InlineData("--duration", "soon")]
    [InlineData("--warmup", "-1s")]
    [InlineData("--busy-poll", "1001")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        var ct = TestTimeout.Token();

        var (exit, bench) = await ParleyProcess.RunAsync("", ct, "bench", "127.0.0.1", option, value);
        await using var _ = bench;

        Assert.Equal(2, exit);
        Assert.StartsWith($"parley: {option}:", bench.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Echoes every connection with the lowest bit of every 100th byte flipped.</summary>
    private static async Task CorruptingEchoAsync(Socket listener, CancellationToken ct)
    {
        var connections = new List<Task>();
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ct);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                break;
            }

            connections.Add(Task.Run(async () =>
            {
                using var _ = socket;
                var buffer = new byte[4096];
                long position = 0;
                try
                {
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) is var n and > 0)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            if (++position % 100 == 0)
                            {
                                buffer[i] ^= 1;
                            }
                        }

                        await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
                    }
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // The bench closed its connection.
                }
            }, ct));
        }

        await Task.WhenAll(connections);
    }
}
