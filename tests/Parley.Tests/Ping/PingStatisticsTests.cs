using System.Net;
using Parley.Ping;

namespace Parley.Tests.Ping;

public sealed class PingStatisticsTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 9000);

    private static ProbeResult Answered(int sequence, double connectMs, double rttMs) => new()
    {
        Sequence = sequence,
        Status = ProbeStatus.Answered,
        EndPoint = Server,
        ConnectTime = TimeSpan.FromMilliseconds(connectMs),
        RoundTrip = TimeSpan.FromMilliseconds(rttMs),
    };

    private static ProbeResult Lost(int sequence, ProbeStatus status, double? connectMs = null) => new()
    {
        Sequence = sequence,
        Status = status,
        ConnectTime = connectMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Message = "lost",
        Hint = ProbeStatusText.Hint(status, 9000),
    };

    [Fact]
    public void Counts_loss_and_times_come_from_the_answered_probes_only()
    {
        var probes = new[]
        {
            Answered(1, 1, 10),
            Lost(2, ProbeStatus.Refused),
            Answered(3, 3, 30),
            Lost(4, ProbeStatus.NoEcho, connectMs: 5),
            Lost(5, ProbeStatus.Refused),
            Answered(6, 2, 20),
        };

        var statistics = PingStatistics.Of(probes);

        Assert.Equal(6, statistics.Sent);
        Assert.Equal(3, statistics.Answered);
        Assert.Equal(3, statistics.Lost);
        Assert.Equal(50, statistics.LossPercent);
        var rtt = statistics.RoundTrip!;
        Assert.Equal(TimeSpan.FromMilliseconds(10), rtt.Min);
        Assert.Equal(TimeSpan.FromMilliseconds(20), rtt.Average);
        Assert.Equal(TimeSpan.FromMilliseconds(30), rtt.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(30), rtt.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(15), rtt.Jitter); // |30-10| and |20-30|
        // A probe that connected but got no echo still tells how long the connect took.
        Assert.Equal(TimeSpan.FromMilliseconds(5), statistics.Connect!.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(2.75), statistics.Connect.Average);
    }

    [Fact]
    public void Losses_are_grouped_by_reason_most_frequent_first_with_a_hint()
    {
        var probes = new[] { Lost(1, ProbeStatus.NoEcho, 1), Lost(2, ProbeStatus.Refused), Lost(3, ProbeStatus.Refused) };

        var statistics = PingStatistics.Of(probes);

        Assert.Collection(statistics.Losses,
            l => Assert.Equal((ProbeStatus.Refused, 2), (l.Status, l.Count)),
            l => Assert.Equal((ProbeStatus.NoEcho, 1), (l.Status, l.Count)));
        Assert.Contains("nothing is listening on port 9000", statistics.Losses[0].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_answered_has_no_round_trip_summary_and_full_loss()
    {
        var statistics = PingStatistics.Of([Lost(1, ProbeStatus.ConnectTimedOut), Lost(2, ProbeStatus.ConnectTimedOut)]);

        Assert.Null(statistics.RoundTrip);
        Assert.Null(statistics.Connect);
        Assert.Equal(100, statistics.LossPercent);
    }

    [Fact]
    public void No_probes_is_zero_of_everything()
    {
        var statistics = PingStatistics.Of([]);

        Assert.Equal((0, 0, 0, 0.0), (statistics.Sent, statistics.Answered, statistics.Lost, statistics.LossPercent));
        Assert.Empty(statistics.Losses);
    }
}
