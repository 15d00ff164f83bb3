using System.Net;
using System.Net.Sockets;
using Parley.Ping;
using Parley.Tests.Support;
using static Parley.Tests.Support.UdpRelay;

namespace Parley.Tests.Ping;

/// <summary>The UDP ping over real sockets on loopback, against Parley's UDP echo, directly and through a lossy relay.</summary>
public sealed class UdpPingerTests
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Every_probe_to_a_udp_echo_is_answered_with_its_round_trip()
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        var (factory, logs) = TestLogging.Create();
        var pinger = new UdpPinger("127.0.0.1", echo.EndPoint.Port, new UdpPingOptions { Count = 3, Interval = TimeSpan.FromMilliseconds(1) }, factory.CreateLogger("ping"));
        var events = new List<UdpPingEvent>();

        var report = await pinger.RunAsync(null, events.Add, ct);

        var s = report.Ping.Statistics;
        Assert.Equal((3, 3, 0), (s.Sent, s.Answered, s.Lost));
        Assert.Equal((0, 0, 0, 0, 0, 0), (report.Late, report.Duplicates, report.Reordered, report.Corrupted, report.Foreign, report.InFlight));
        Assert.Equal([1, 2, 3], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal((UdpPingEventKind.Answered, 64, echo.EndPoint), (e.Kind, e.Bytes, e.From)));
        Assert.All(report.Probes, p => Assert.Equal(64, p.Result.BytesReceived));
        Assert.NotNull(report.RoundTripMedian);
        Assert.NotNull(report.InterarrivalJitter);
        Assert.Equal(3, logs.Events("Answered").Count);
        Assert.True(logs.Has("WarmUp"));
        Assert.Equal(3, echo.Handler.Echoed);
    }

    [Fact]
    public async Task Through_a_relay_that_drops_duplicates_corrupts_delays_and_reorders_the_counts_equal_the_relays_record()
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        var replyTimeout = TimeSpan.FromSeconds(1);
        var plan = new Dictionary<int, RelayStep>
        {
            [2] = RelayStep.Delay, // beyond the reply timeout: lost, then late
            [5] = RelayStep.Drop,
            [7] = RelayStep.HoldForNext,
            [10] = RelayStep.Delay,
            [12] = RelayStep.Corrupt,
            [14] = RelayStep.Truncate,
            [20] = RelayStep.Duplicate,
            [30] = RelayStep.ForwardAndForeign,
        };
        var delays = new Dictionary<int, TimeSpan> { [2] = TimeSpan.FromMilliseconds(1500), [10] = TimeSpan.FromMilliseconds(150) };
        await using var relay = UdpRelay.Start(echo.EndPoint, s => plan.GetValueOrDefault(s, RelayStep.Forward), s => delays[s]);
        var options = new UdpPingOptions { Count = 40, Interval = TimeSpan.FromMilliseconds(25), ReplyTimeout = replyTimeout };
        var events = new List<UdpPingEvent>();

        var report = await new UdpPinger("127.0.0.1", relay.EndPoint.Port, options).RunAsync(null, events.Add, ct);

        var expected = relay.Expected(replyTimeout);
        var s = report.Ping.Statistics;
        Assert.Equal(expected, (s.Sent, s.Answered, s.Lost, report.Late, report.Duplicates, report.Reordered, report.Corrupted, report.Foreign));
        // The record is what was planned: 2, 5, 12 and 14 lost (2 late), 7, 10 and 2 out of order, 20 twice.
        Assert.Equal((40, 36, 4, 1, 1, 3, 2, 1), expected);
        Assert.Equal([2, 5, 12, 14], report.Probes.Where(p => !p.Result.IsAnswered).Select(p => p.Result.Sequence));
        Assert.Equal([2, 7, 10], report.Probes.Where(p => p.Reordered).Select(p => p.Result.Sequence).Order());
        Assert.Equal(1, report.Probes.Single(p => p.Result.Sequence == 20).Duplicates);
        Assert.Equal(0, report.InFlight);

        // Round trips include what the relay added, within the timer's resolution.
        Assert.InRange(Rtt(report, 10), relay.HeldBack(10) - Resolution, replyTimeout);
        Assert.InRange(Rtt(report, 7), relay.HeldBack(7) - Resolution, replyTimeout);
        Assert.True(report.Probes.Single(p => p.Result.Sequence == 2).LateRoundTrip >= relay.HeldBack(2) - Resolution);
        Assert.True(relay.HeldBack(10) >= delays[10] - Resolution);

        // One event per probe settled and per datagram that came back; the late reply follows the probe's loss.
        Assert.Equal(40, events.Count(e => e.Kind is UdpPingEventKind.Answered or UdpPingEventKind.Lost));
        Assert.Equal(["no reply within 1.0 s"], events.Where(e => e.Kind == UdpPingEventKind.Lost && e.Sequence == 2).Select(e => e.Message));
        Assert.True(events.FindIndex(e => e.Kind == UdpPingEventKind.Lost && e.Sequence == 2) < events.FindIndex(e => e.Kind == UdpPingEventKind.Late));
        Assert.Contains(events, e => e.Kind == UdpPingEventKind.Corrupted && e.Message.EndsWith("claim to answer probe 12, but differs from what was sent from byte 30", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == UdpPingEventKind.Corrupted && e.Message.EndsWith("claim to answer probe 14, but 40 bytes instead of 64", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Kind == UdpPingEventKind.Foreign && e.Message.StartsWith($"64 bytes from {relay.EndPoint} that are no reply of this run", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Through_a_relay_driven_by_a_seeded_generator_the_counts_equal_the_relays_record(int seed)
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        var random = new Random(seed);
        var steps = Enumerable.Range(0, 201).Select(_ => random.Next(100) switch
        {
            < 8 => RelayStep.Drop,
            < 13 => RelayStep.Duplicate,
            < 16 => RelayStep.Corrupt,
            < 18 => RelayStep.Truncate,
            < 26 => RelayStep.Delay,
            < 30 => RelayStep.HoldForNext,
            < 31 => RelayStep.ForwardAndForeign,
            _ => RelayStep.Forward,
        }).ToArray();
        var delays = Enumerable.Range(0, 201).Select(_ => TimeSpan.FromMilliseconds(random.Next(1, 40))).ToArray();
        await using var relay = UdpRelay.Start(echo.EndPoint, s => steps[s], s => delays[s]);
        var replyTimeout = TimeSpan.FromSeconds(2);
        var options = new UdpPingOptions { Count = 200, Interval = TimeSpan.FromMilliseconds(5), ReplyTimeout = replyTimeout };

        var report = await new UdpPinger("127.0.0.1", relay.EndPoint.Port, options).RunAsync(cancellationToken: ct);

        var s = report.Ping.Statistics;
        Assert.Equal(relay.Expected(replyTimeout), (s.Sent, s.Answered, s.Lost, report.Late, report.Duplicates, report.Reordered, report.Corrupted, report.Foreign));
        Assert.True(report.Reordered > 0 && report.Duplicates > 0 && report.Corrupted > 0 && s.Lost > 0, "the generator chose every kind of harm");
        foreach (var probe in report.Probes.Where(p => p.Result.IsAnswered && steps[p.Result.Sequence] == RelayStep.Delay))
        {
            Assert.True(probe.Result.RoundTrip >= relay.HeldBack(probe.Result.Sequence) - Resolution);
        }
    }

    [Fact]
    public async Task A_port_where_nothing_listens_is_reported_as_such_for_every_probe()
    {
        var ct = TestTimeout.Token();
        int port;
        using (var closed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        }

        var options = new UdpPingOptions { Count = 3, Interval = TimeSpan.FromMilliseconds(20) };

        var report = await new UdpPinger("127.0.0.1", port, options).RunAsync(cancellationToken: ct);

        var s = report.Ping.Statistics;
        Assert.Equal((3, 0, 3), (s.Sent, s.Answered, s.Lost));
        Assert.All(report.Probes, p => Assert.Equal((ProbeStatus.Refused, $"nothing listens on UDP port {port} there"), (p.Result.Status, p.Result.Message)));
        var loss = Assert.Single(s.Losses);
        Assert.Contains("ICMP port unreachable", loss.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_ends_the_run_with_the_report_so_far_and_probes_in_flight_apart()
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackUdpEcho.Start();
        // Every probe from the fourth on is held back for longer than the test: in flight when the run is cancelled.
        await using var relay = UdpRelay.Start(echo.EndPoint, s => s < 4 ? RelayStep.Forward : RelayStep.Delay, _ => TimeSpan.FromMinutes(1));
        var options = new UdpPingOptions { Count = 0, Interval = TimeSpan.FromMilliseconds(10), ReplyTimeout = TimeSpan.FromMinutes(1) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var answered = 0;
        var running = new UdpPinger("127.0.0.1", relay.EndPoint.Port, options).RunAsync(
            null, e => Interlocked.Increment(ref answered), stop.Token);
        await Poll.UntilAsync(() => Volatile.Read(ref answered) == 3 && relay.HasReceived(5), "three replies, and probe 5 on its way");
        await stop.CancelAsync();
        var report = await running;

        Assert.True(report.Ping.Interrupted);
        Assert.Equal((3, 3, 0), (report.Ping.Statistics.Sent, report.Ping.Statistics.Answered, report.Ping.Statistics.Lost));
        Assert.True(report.InFlight > 0);
    }

    private static TimeSpan Rtt(UdpPingReport report, int sequence) => report.Probes.Single(p => p.Result.Sequence == sequence).Result.RoundTrip!.Value;
}
