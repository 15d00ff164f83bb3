using System.Net;
using Microsoft.Extensions.Time.Testing;
using Parley.Ping;

namespace Parley.Tests.Ping;

/// <summary>The UDP ping's bookkeeping, in memory and on a fake clock: exact by construction.</summary>
public sealed class UdpPingTallyTests
{
    private const long RunId = 0x1234_5678_9abc_def0;
    private const int Size = 64;
    private static readonly IPEndPoint Echo = new(IPAddress.Loopback, 9000);
    private readonly FakeTimeProvider _time = new();
    private readonly UdpPingTally _tally;
    private readonly Dictionary<int, long> _sentAt = [];

    public UdpPingTallyTests() => _tally = new UdpPingTally(RunId, Size, TimeSpan.FromSeconds(1), 9000, _time);

    [Fact]
    public void Replies_are_matched_by_sequence_number_not_by_arrival_order()
    {
        Send(3);
        _time.Advance(TimeSpan.FromMilliseconds(30));

        var events = new[] { Receive(Reply(3)), Receive(Reply(1)), Receive(Reply(2)) };

        Assert.All(events, e => Assert.Equal(UdpPingEventKind.Answered, e.Kind));
        Assert.Equal([3, 1, 2], events.Select(e => e.Sequence));
        Assert.Equal([false, true, true], events.Select(e => e.Reordered));
        var report = Report();
        Assert.Equal((3, 3, 0, 2), (report.Ping.Statistics.Sent, report.Ping.Statistics.Answered, report.Ping.Statistics.Lost, report.Reordered));
        Assert.Equal(
            [TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(40)],
            report.Probes.Select(p => p.Result.RoundTrip!.Value));
    }

    [Fact]
    public void A_reply_after_the_timeout_is_late_the_probe_lost_once_and_another_copy_a_duplicate()
    {
        Send(1);
        _time.Advance(TimeSpan.FromMilliseconds(1090));
        var lost = _tally.Expire(_time.GetTimestamp());
        Send(1);

        var late = Receive(Reply(1));
        var again = Receive(Reply(1));
        var answered = Receive(Reply(2));

        Assert.Equal([(UdpPingEventKind.Lost, 1)], lost.Select(e => (e.Kind, e.Sequence)));
        Assert.Equal((UdpPingEventKind.Late, TimeSpan.FromMilliseconds(1110)), (late.Kind, late.RoundTrip!.Value));
        Assert.Equal(UdpPingEventKind.Duplicate, again.Kind);
        Assert.Equal((UdpPingEventKind.Answered, TimeSpan.FromMilliseconds(10)), (answered.Kind, answered.RoundTrip!.Value));
        var report = Report();
        var s = report.Ping.Statistics;
        Assert.Equal((2, 1, 1, 50.0), (s.Sent, s.Answered, s.Lost, s.LossPercent));
        Assert.Equal((1, 1, 0), (report.Late, report.Duplicates, report.Reordered));
        Assert.Equal(TimeSpan.FromMilliseconds(1110), report.Probes[0].LateRoundTrip);
        Assert.Equal(ProbeStatus.NoEcho, Assert.Single(s.Losses).Status);
    }

    [Fact]
    public void A_reply_after_the_deadline_is_late_even_before_the_deadline_was_noticed()
    {
        Send(1);
        _time.Advance(TimeSpan.FromSeconds(2));

        var late = Receive(Reply(1));

        Assert.Equal(UdpPingEventKind.Late, late.Kind);
        Assert.Equal(ProbeStatus.NoEcho, late.Probe!.Status);
        Assert.Empty(_tally.Expire(_time.GetTimestamp()));
        var report = Report();
        Assert.Equal((1, 0, 1, 1), (report.Ping.Statistics.Sent, report.Ping.Statistics.Answered, report.Ping.Statistics.Lost, report.Late));
    }

    [Theory]
    [InlineData("altered", "differs from what was sent from byte 40")]
    [InlineData("short", "63 bytes instead of 64")]
    [InlineData("long", "65 bytes instead of 64")]
    [InlineData("timestamp", "differs from what was sent from byte 16")]
    [InlineData("unknown", "probe number 9 was never sent")]
    public void A_datagram_of_this_run_that_is_not_what_was_sent_is_corrupted_and_never_a_reply(string harm, string why)
    {
        Send(1);
        var reply = Reply(1);
        var datagram = harm switch
        {
            "altered" => Altered(reply, 40),
            "short" => reply[..^1],
            "long" => [.. reply, 0],
            "timestamp" => Altered(reply, 23),
            _ => Reply(9, sentAt: 0),
        };

        var e = Receive(datagram);

        Assert.Equal(UdpPingEventKind.Corrupted, e.Kind);
        Assert.EndsWith(why, e.Message, StringComparison.Ordinal);
        var report = Report();
        Assert.Equal((1, 0, 1), (report.Corrupted, report.Ping.Statistics.Answered, _tally.Pending));
    }

    [Theory]
    [InlineData("another run")]
    [InlineData("not a probe")]
    [InlineData("too short")]
    public void A_datagram_that_is_not_of_this_run_is_foreign(string what)
    {
        Send(1);
        byte[] datagram = what switch
        {
            "another run" => Altered(Reply(1), 5),
            "not a probe" => "hello, this is no ping probe at all, just some text"u8.ToArray(),
            _ => [0x50, 0x52, 0x4C, 0x59],
        };

        var e = Receive(datagram);

        Assert.Equal(UdpPingEventKind.Foreign, e.Kind);
        Assert.StartsWith($"{datagram.Length} bytes from {Echo} that are no reply of this run: ", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 0, 1), (Report().Foreign, Report().Corrupted, _tally.Pending));
    }

    [Fact]
    public void The_interarrival_jitter_follows_rfc_3550_and_the_round_trips_give_median_and_deviation()
    {
        var roundTrips = new[] { 10, 12, 11, 15 };
        double expected = 0;
        for (var i = 0; i < roundTrips.Length; i++)
        {
            SendOne();
            _time.Advance(TimeSpan.FromMilliseconds(roundTrips[i]));
            Receive(Reply(i + 1));
            if (i > 0)
            {
                expected += (Math.Abs(roundTrips[i] - roundTrips[i - 1]) - expected) / 16;
            }
        }

        var report = Report();

        Assert.Equal(TimeSpan.FromTicks((long)Math.Round(expected * TimeSpan.TicksPerMillisecond)), report.InterarrivalJitter);
        Assert.Equal(TimeSpan.FromMilliseconds(11), report.RoundTripMedian);
        // Population standard deviation of 10, 12, 11, 15 ms: sqrt(3.5) ms.
        Assert.Equal(Math.Sqrt(3.5), report.RoundTripDeviation!.Value.TotalMilliseconds, 4);
        // The TCP ping's jitter stays what it is: the mean difference between successive round trips.
        Assert.Equal(TimeSpan.FromMilliseconds((2 + 1 + 4) / 3.0), report.Ping.Statistics.RoundTrip!.Jitter);
    }

    [Fact]
    public void A_failure_the_system_reports_settles_the_oldest_probe_waiting_and_is_not_counted_as_a_timeout()
    {
        Send(2);

        var e = _tally.Fail(null, ProbeStatus.Refused, "nothing listens on UDP port 9000 there", UdpPingTally.UnreachableHint(9000));

        Assert.Equal((UdpPingEventKind.Lost, 1), (e!.Kind, e.Sequence));
        Assert.Equal(1, _tally.Pending);
        Assert.Null(_tally.LateWindowEnd);
        Assert.Null(_tally.Fail(1, ProbeStatus.Failed, "again", ""));
    }

    /// <summary>Sends <paramref name="count"/> probes 10 ms apart, the clock 10 ms past the last one.</summary>
    private void Send(int count)
    {
        for (var i = 0; i < count; i++)
        {
            SendOne();
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    private void SendOne()
    {
        var now = _time.GetTimestamp();
        _sentAt[_tally.Sending(now)] = now;
    }

    private byte[] Reply(int sequence, long? sentAt = null)
    {
        var datagram = new byte[Size];
        UdpProbePayload.Write(datagram, RunId, sequence, sentAt ?? _sentAt[sequence]);
        return datagram;
    }

    private static byte[] Altered(byte[] datagram, int at)
    {
        var copy = (byte[])datagram.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    private UdpPingEvent Receive(byte[] datagram) => _tally.Received(datagram, Echo, _time.GetTimestamp());

    private UdpPingReport Report() => _tally.Report("localhost", [IPAddress.Loopback], TimeSpan.FromSeconds(1), interrupted: false);
}
