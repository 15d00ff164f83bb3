using Parley.Bench;
using Parley.Echo;
using Parley.Framing;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Bench;

public sealed class LoadGeneratorTests
{
    private static BenchOptions Options(int port, BenchMode mode = BenchMode.PingPong, int connections = 3, int size = 64,
        BenchFraming framing = BenchFraming.Line) => new()
        {
            Host = "127.0.0.1",
            Port = port,
            Mode = mode,
            Connections = connections,
            MessageSize = size,
            Framing = framing,
            Warmup = TimeSpan.FromMilliseconds(100),
            Duration = TimeSpan.FromMilliseconds(400),
            DrainTimeout = TimeSpan.FromSeconds(10),
        };

    private static LoopbackServer StartEcho(EchoMode mode = EchoMode.Line) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = mode }, logs));

    [Fact]
    public async Task Ping_pong_counts_every_byte_and_message_exactly_as_the_server_saw_them()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start();

        var result = await new LoadGenerator(Options(server.Port)).RunAsync(ct);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(server.BytesReceived, result.BytesSent);
        Assert.Equal(server.BytesSent, result.BytesReceived);
        Assert.Equal(result.MessagesSent, result.MessagesEchoed);
        Assert.Equal(result.MessagesSent * 64, result.BytesSent);
        Assert.True(result.RoundTrips > 0);
        Assert.InRange(result.RoundTrips, 1, result.MessagesEchoed);
    }

    [Fact]
    public async Task Stream_mode_counts_every_byte_exactly_as_the_server_saw_them()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start();

        var result = await new LoadGenerator(Options(server.Port, BenchMode.Stream, connections: 4, size: 16384)).RunAsync(ct);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(server.BytesReceived, result.BytesSent);
        Assert.Equal(server.BytesSent, result.BytesReceived);
        Assert.Equal(result.MessagesSent * 16384, result.BytesSent);
        Assert.Equal(result.MessagesSent, result.MessagesEchoed);
        Assert.True(result.MiBPerSecond > 0);
        Assert.True(result.PerConnectionMiBPerSecond.Slowest <= result.PerConnectionMiBPerSecond.Median);
        Assert.True(result.PerConnectionMiBPerSecond.Median <= result.PerConnectionMiBPerSecond.Fastest);
    }

    [Theory]
    [InlineData(BenchMode.PingPong)]
    [InlineData(BenchMode.Stream)]
    public async Task A_server_that_corrupts_bytes_is_caught_with_the_exact_count(BenchMode mode)
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start(corruptEvery: 997);

        var result = await new LoadGenerator(Options(server.Port, mode, size: mode == BenchMode.Stream ? 4096 : 64)).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.True(server.Corrupted > 0);
        Assert.Equal(server.Corrupted, result.MismatchedBytes);
        Assert.Equal(0, result.MissingBytes);
        Assert.Contains(result.Problems, p => p.Contains("came back different", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_drops_bytes_in_a_stream_is_caught_with_the_exact_count()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start(dropEvery: 5003);

        var result = await new LoadGenerator(Options(server.Port, BenchMode.Stream, size: 4096)).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.True(server.Dropped > 0);
        Assert.Equal(server.Dropped, result.MissingBytes);
        Assert.True(result.MismatchedBytes > 0);
        Assert.Contains(result.Problems, p => p.Contains("still to echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_drops_a_byte_in_ping_pong_stalls_that_connection_and_it_is_reported()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start(dropAt: 1000);
        var options = Options(server.Port, connections: 2);
        options.DrainTimeout = TimeSpan.FromMilliseconds(300);

        var result = await new LoadGenerator(options).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.Equal(2, server.Dropped);
        Assert.Equal(2, result.MissingBytes);
        Assert.Equal(2, result.ConnectionsFailed);
        Assert.All(result.Problems.Where(p => p.Contains("stalled", StringComparison.Ordinal)), p => Assert.Contains("drain timeout", p, StringComparison.Ordinal));
        Assert.Equal(2, result.Problems.Count(p => p.Contains("stalled", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_server_that_sends_more_than_it_was_sent_in_ping_pong_is_caught_on_that_connection()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start(duplicateAt: 1000);
        var options = Options(server.Port, connections: 2);
        options.DrainTimeout = TimeSpan.FromMilliseconds(300);

        var result = await new LoadGenerator(options).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.Equal(2, result.Problems.Count(p => p.Contains("the server sent more than it was sent", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Length_framing_against_the_framed_echo_server_verifies_every_message()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(EchoMode.Framed);

        var result = await new LoadGenerator(Options(server.Port, framing: BenchFraming.Length, size: 100)).RunAsync(ct);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(104, result.WireSize);
        Assert.Equal(result.MessagesSent * 104, result.BytesReceived);
        Assert.Empty(server.Logs.Events("ProtocolError"));
    }

    [Theory]
    [InlineData(BenchMode.PingPong, 100)]
    [InlineData(BenchMode.Stream, 4096)]
    public async Task Length_framing_catches_a_server_that_corrupts_payload_bytes_with_the_exact_count(BenchMode mode, int size)
    {
        var ct = TestTimeout.Token();

        // Every wire-length-th byte is the last byte of a frame's payload: the framing stays whole, the text does not.
        await using var server = FakeEchoServer.Start(corruptEvery: LengthPrefixCodec.HeaderLength + size);

        var result = await new LoadGenerator(Options(server.Port, mode, size: size, framing: BenchFraming.Length)).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.True(server.Corrupted > 0);
        Assert.Equal(server.Corrupted, result.MismatchedBytes);
        Assert.Equal(0, result.MissingBytes);
        Assert.Equal(result.MessagesSent, result.MessagesEchoed);
        Assert.Contains(result.Problems, p => p.Contains("came back different", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Length_framing_ends_a_connection_whose_echo_declares_more_than_was_sent_at_once()
    {
        var ct = TestTimeout.Token();

        // Without the first byte, the echoed header reads 00 00 64 and the payload's first byte: far over 100.
        await using var server = FakeEchoServer.Start(dropAt: 1);
        var options = Options(server.Port, connections: 2, size: 100, framing: BenchFraming.Length);

        var result = await new LoadGenerator(options).RunAsync(ct);

        Assert.False(result.Ok);
        Assert.Equal(2, result.ConnectionsFailed);
        Assert.Equal(0, result.MessagesEchoed);
        Assert.Equal(2, result.Problems.Count(p => p.Contains("the echo broke the framing: message too large", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Line_messages_never_look_like_commands_to_the_line_echo_server()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();

        var result = await new LoadGenerator(Options(server.Port, size: 5, connections: 4)).RunAsync(ct);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Empty(server.Logs.Events("ExitCommand"));
        Assert.Empty(server.Logs.Events("StopCommand"));
    }

    [Fact]
    public async Task Ping_pong_latency_percentiles_are_in_order()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();

        var result = await new LoadGenerator(Options(server.Port, connections: 1)).RunAsync(ct);

        var l = Assert.IsType<BenchLatency>(result.Latency);
        Assert.True(l.Count > 0);
        Assert.True(l.P50 > 0);
        Assert.True(l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.P999 && l.P999 <= l.Max);
    }

    [Fact]
    public async Task Idle_mode_holds_every_connection_then_checks_each_once()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();

        var result = await new LoadGenerator(Options(server.Port, BenchMode.Idle, connections: 50)).RunAsync(ct);

        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(50, result.MessagesEchoed);
        Assert.Equal(50, server.Server.ConnectionsServed);
        Assert.Null(result.Latency);
    }

    [Fact]
    public async Task Flood_mode_ends_on_time_against_a_server_that_never_reads()
    {
        var ct = TestTimeout.Token();
        await using var server = FakeEchoServer.Start(neverRead: true);

        var result = await new LoadGenerator(Options(server.Port, BenchMode.Flood, connections: 2, size: 65536)).RunAsync(ct);

        Assert.False(result.EchoVerified);
        Assert.True(result.BytesSent > 0);
        Assert.Equal(0, result.BytesReceived);
        Assert.True(result.Ok);
    }

    [Fact]
    public async Task Nothing_listening_is_one_connect_error()
    {
        var ct = TestTimeout.Token();
        int port;
        await using (var gone = FakeEchoServer.Start())
        {
            port = gone.Port;
        }

        var error = await Assert.ThrowsAsync<ConnectException>(() => new LoadGenerator(Options(port)).RunAsync(ct));

        Assert.Equal(ConnectFailure.Refused, error.Failure);
    }

    [Fact]
    public async Task Progress_reports_the_phase_and_the_open_connections()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        var generator = new LoadGenerator(Options(server.Port, connections: 5));

        var running = generator.RunAsync(ct);
        await Poll.UntilAsync(() => generator.Progress.Phase == BenchPhase.Measuring, "the measuring phase");
        var during = generator.Progress;
        await running;

        Assert.Equal(5, during.Connections);
        Assert.Equal(BenchPhase.Done, generator.Phase);
        Assert.Equal(0, generator.Progress.Connections);
    }
}
