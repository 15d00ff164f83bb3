namespace Parley.Ping;

/// <summary>The summary of a run of probes, like ping's: sent, answered, lost, and the times.</summary>
public sealed class PingStatistics
{
    private PingStatistics(
        int sent, int answered, LatencySummary? roundTrip, LatencySummary? connect, IReadOnlyList<LossCount> losses)
    {
        Sent = sent;
        Answered = answered;
        RoundTrip = roundTrip;
        Connect = connect;
        Losses = losses;
    }

    /// <summary>Probes sent (a probe cut short by cancellation is not counted).</summary>
    public int Sent { get; }

    /// <summary>Probes whose echo came back complete and unchanged.</summary>
    public int Answered { get; }

    /// <summary>Probes not answered, for whatever reason.</summary>
    public int Lost => Sent - Answered;

    /// <summary>Lost probes as a percentage of those sent; 0 when none was sent.</summary>
    public double LossPercent => Sent == 0 ? 0 : 100.0 * Lost / Sent;

    /// <summary>Echo round trips of the answered probes; <see langword="null"/> when none was answered.</summary>
    public LatencySummary? RoundTrip { get; }

    /// <summary>Connect times of every probe that connected; <see langword="null"/> when none did.</summary>
    public LatencySummary? Connect { get; }

    /// <summary>The lost probes by reason, most frequent first, with what to check.</summary>
    public IReadOnlyList<LossCount> Losses { get; }

    /// <summary>Summarises <paramref name="probes"/>, given in the order they were sent.</summary>
    internal static PingStatistics Of(IReadOnlyList<ProbeResult> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var roundTrips = new List<TimeSpan>(probes.Count);
        var connects = new List<TimeSpan>(probes.Count);
        foreach (var probe in probes)
        {
            if (probe.ConnectTime is { } connect)
            {
                connects.Add(connect);
            }

            if (probe.IsAnswered && probe.RoundTrip is { } roundTrip)
            {
                roundTrips.Add(roundTrip);
            }
        }

        var losses = probes.Where(p => !p.IsAnswered)
            .GroupBy(p => p.Status)
            .Select(g => new LossCount(g.Key, g.Count(), g.First().Hint))
            .OrderByDescending(l => l.Count)
            .ThenBy(l => l.Status)
            .ToList();
        return new PingStatistics(probes.Count, probes.Count(p => p.IsAnswered), LatencySummary.Of(roundTrips),
            LatencySummary.Of(connects), losses);
    }
}
