using System.Net;
using System.Net.Sockets;
using Parley.Echo;
using Parley.Ping;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Ping;

public sealed class PingerTests
{
    private static PingOptions Quick(int count = 3, EchoMode mode = EchoMode.Line, int size = 32) => new()
    {
        Count = count,
        Interval = TimeSpan.FromMilliseconds(1),
        Mode = mode,
        Size = size,
        Connect = new ConnectOptions { Timeout = TimeSpan.FromSeconds(10) },
        ReplyTimeout = TimeSpan.FromSeconds(10),
    };

    private static LoopbackServer StartEcho(EchoMode mode) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = mode }, logs));

    [Theory]
    [InlineData(EchoMode.Line, 32)]
    [InlineData(EchoMode.Line, 1)]
    [InlineData(EchoMode.Raw, 1000)]
    [InlineData(EchoMode.Framed, 100)]
    [InlineData(EchoMode.Line, PingOptions.MaxSize)]
    public async Task Every_probe_to_an_echo_server_in_its_mode_is_answered(EchoMode mode, int size)
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(mode);
        var (factory, logs) = TestLogging.Create();
        var pinger = new Pinger("127.0.0.1", server.Port, Quick(mode: mode, size: size), factory.CreateLogger("ping"));
        var seen = new List<ProbeResult>();
        IReadOnlyList<IPAddress>? resolved = null;

        var report = await pinger.RunAsync(a => resolved = a, seen.Add, ct);

        Assert.Equal([IPAddress.Loopback], resolved);
        Assert.False(report.Interrupted);
        Assert.Equal(3, report.Statistics.Answered);
        Assert.Equal(0, report.Statistics.Lost);
        Assert.Equal(report.Probes, seen);
        Assert.Equal([1, 2, 3], report.Probes.Select(p => p.Sequence));
        var wire = size + (mode == EchoMode.Framed ? 4 : 0);
        Assert.All(report.Probes, p =>
        {
            Assert.Equal(ProbeStatus.Answered, p.Status);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.Port), p.EndPoint);
            Assert.NotNull(p.ConnectTime);
            Assert.NotNull(p.RoundTrip);
            Assert.Equal(wire, p.BytesSent);
            Assert.Equal(wire, p.BytesReceived);
        });
        Assert.NotNull(report.Statistics.RoundTrip);
        Assert.Equal(3, logs.Events("ProbeAnswered").Count);
        Assert.True(logs.Has("PingWarmUp"));
    }

    [Fact]
    public async Task A_closed_port_is_refused_with_a_hint_and_nothing_answered()
    {
        var ct = TestTimeout.Token();
        var port = ClosedPort();
        var pinger = new Pinger("127.0.0.1", port, Quick(count: 2));

        var report = await pinger.RunAsync(cancellationToken: ct);

        Assert.Equal(2, report.Statistics.Sent);
        Assert.Equal(0, report.Statistics.Answered);
        Assert.All(report.Probes, p =>
        {
            Assert.Equal(ProbeStatus.Refused, p.Status);
            Assert.Null(p.EndPoint);
            Assert.Null(p.ConnectTime);
            Assert.Equal($"cannot connect to 127.0.0.1:{port}: connection refused", p.Message);
            Assert.Contains($"nothing is listening on port {port}", p.Hint, StringComparison.Ordinal);
        });
        Assert.Equal(ProbeStatus.Refused, Assert.Single(report.Statistics.Losses).Status);
    }

    [Fact]
    public async Task An_unknown_host_fails_before_any_probe()
    {
        var ct = TestTimeout.Token();
        var pinger = new Pinger("no-such-host.invalid", 9000, Quick());
        var probes = 0;

        var error = await Assert.ThrowsAsync<ConnectException>(() => pinger.RunAsync(probed: _ => probes++, cancellationToken: ct));

        Assert.Equal(ConnectFailure.UnknownHost, error.Failure);
        Assert.StartsWith("cannot connect to no-such-host.invalid:9000: unknown host no-such-host.invalid", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, probes);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_is_no_echo()
    {
        var ct = TestTimeout.Token();
        // Listening is enough: the kernel completes the handshake, and nobody ever reads.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var options = Quick(count: 1);
        options.ReplyTimeout = TimeSpan.FromMilliseconds(200);

        var report = await new Pinger("127.0.0.1", port, options).RunAsync(cancellationToken: ct);

        var probe = Assert.Single(report.Probes);
        Assert.Equal(ProbeStatus.NoEcho, probe.Status);
        Assert.NotNull(probe.ConnectTime);
        Assert.Null(probe.RoundTrip);
        Assert.Equal($"connected to 127.0.0.1:{port}, but no echo came back within 200 ms", probe.Message);
        Assert.Contains("is it an echo server", probe.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_closes_without_echoing_is_closed()
    {
        var ct = TestTimeout.Token();
        // It reads the probe first: closing with unread data would send a reset instead of an orderly close.
        await using var server = OneShotServer.Start(static (socket, token) => socket.ReadExactlyAsync(32, token));

        var report = await new Pinger("127.0.0.1", server.Port, Quick(count: 1)).RunAsync(cancellationToken: ct);

        var probe = Assert.Single(report.Probes);
        Assert.Equal(ProbeStatus.Closed, probe.Status);
        Assert.Equal($"127.0.0.1:{server.Port} closed the connection after 0 of 32 bytes of the echo", probe.Message);
    }

    [Fact]
    public async Task A_server_that_answers_something_else_is_a_mismatch_naming_what_came()
    {
        var ct = TestTimeout.Token();
        await using var server = OneShotServer.Start(static async (socket, token) =>
        {
            await socket.SendAllAsync("Hello! What is your name?\n"u8.ToArray(), token);
            await socket.ReadToEndAsync(token);
        });

        var report = await new Pinger("127.0.0.1", server.Port, Quick(count: 1)).RunAsync(cancellationToken: ct);

        var probe = Assert.Single(report.Probes);
        Assert.Equal(ProbeStatus.Mismatch, probe.Status);
        Assert.Contains("sent back something other than the echo from byte 0: \"Hello! What is your name?\\n\"", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_resets_the_connection_is_reset()
    {
        var ct = TestTimeout.Token();
        await using var server = OneShotServer.Start(static async (socket, token) =>
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, token);
            socket.LingerState = new LingerOption(true, 0); // close with RST
        });

        var report = await new Pinger("127.0.0.1", server.Port, Quick(count: 1)).RunAsync(cancellationToken: ct);

        var probe = Assert.Single(report.Probes);
        Assert.Equal(ProbeStatus.Reset, probe.Status);
        Assert.Contains("reset the connection", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_ends_the_run_with_the_report_so_far()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(EchoMode.Line);
        var options = Quick(count: 0);
        options.Interval = TimeSpan.FromMinutes(10);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pinger = new Pinger("127.0.0.1", server.Port, options);

        var report = await pinger.RunAsync(probed: _ => stop.Cancel(), cancellationToken: stop.Token);

        Assert.True(report.Interrupted);
        Assert.Equal(1, report.Statistics.Sent);
        Assert.Equal(1, report.Statistics.Answered);
    }

    [Fact]
    public async Task Probes_keep_going_after_losses_and_count_them()
    {
        var ct = TestTimeout.Token();
        var answered = 0;
        await using var server = OneShotServer.Start(async (socket, token) =>
        {
            var probe = await socket.ReadExactlyAsync(32, token);
            // Every other connection is closed without an echo.
            if (Interlocked.Increment(ref answered) % 2 == 0)
            {
                return;
            }

            await socket.SendAllAsync(probe, token);
            await socket.ReadToEndAsync(token);
        });

        var report = await new Pinger("127.0.0.1", server.Port, Quick(count: 4)).RunAsync(cancellationToken: ct);

        Assert.Equal(
            [ProbeStatus.Answered, ProbeStatus.Closed, ProbeStatus.Answered, ProbeStatus.Closed],
            report.Probes.Select(p => p.Status));
        Assert.Equal(50, report.Statistics.LossPercent);
    }

    [Fact]
    public async Task A_probe_passes_over_addresses_that_fail_says_which_and_times_only_the_one_reached()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(EchoMode.Line);
        // The same port bound but not listening on 127.0.0.2: a connect there is refused at once.
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), server.Port));
        var (factory, logs) = TestLogging.Create();
        var pinger = new Pinger("127.0.0.1", server.Port, Quick(), factory.CreateLogger("ping"));

        var probe = await pinger.ProbeAsync(1, [IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], ct);

        Assert.Equal(ProbeStatus.Answered, probe.Status);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.Port), probe.EndPoint);
        Assert.Equal([$"127.0.0.2:{server.Port}: connection refused"], probe.Skipped);
        Assert.True(logs.Has("ConnectAttemptFailed"));
    }

    [Fact]
    public async Task A_probe_that_reaches_no_address_names_the_target_and_the_reason()
    {
        var ct = TestTimeout.Token();
        var port = ClosedPort();
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port));
        var pinger = new Pinger("127.0.0.1", port, Quick());

        var probe = await pinger.ProbeAsync(1, [IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], ct);

        Assert.Equal(ProbeStatus.Refused, probe.Status);
        Assert.Equal($"cannot connect to 127.0.0.1:{port}: connection refused", probe.Message);
        Assert.Empty(probe.Skipped);
    }

    private static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
