namespace Parley.Ping;

/// <summary>
/// What a run of <see cref="UdpPinger"/> found: what every ping reports (<see cref="Ping"/>: sent, received, lost,
/// round trips, losses by reason) and what only UDP can do to datagrams.
/// </summary>
public sealed class UdpPingReport
{
    /// <summary>
    /// The run as any ping reports it; its probes are the <see cref="UdpProbeResult.Result"/> of <see cref="Probes"/>,
    /// and <see cref="PingStatistics.Answered"/> counts the probes answered within the reply timeout.
    /// </summary>
    public required PingReport Ping { get; init; }

    /// <summary>Every probe sent and settled, in order (probes still in flight when the run was interrupted are left out).</summary>
    public required IReadOnlyList<UdpProbeResult> Probes { get; init; }

    /// <summary>Lost probes whose reply came after the reply timeout.</summary>
    public required int Late { get; init; }

    /// <summary>Valid copies of replies beyond the first.</summary>
    public required int Duplicates { get; init; }

    /// <summary>First replies that came after a reply to a later probe (RFC 4737), in time or late.</summary>
    public required int Reordered { get; init; }

    /// <summary>Datagrams of this run that were not what was sent.</summary>
    public required int Corrupted { get; init; }

    /// <summary>Datagrams that were not of this run.</summary>
    public required int Foreign { get; init; }

    /// <summary>Probes sent but still waiting for their reply when the run was interrupted: not counted anywhere else.</summary>
    public required int InFlight { get; init; }

    /// <summary>The median round trip (nearest rank); <see langword="null"/> when nothing was received.</summary>
    public required TimeSpan? RoundTripMedian { get; init; }

    /// <summary>The standard deviation of the round trips (ping's mdev); <see langword="null"/> when nothing was received.</summary>
    public required TimeSpan? RoundTripDeviation { get; init; }

    /// <summary>
    /// The interarrival jitter of RFC 3550 (section 6.4.1) over the replies received in time, in the order they
    /// arrived, with round trips as transit times: J += (|D| - J) / 16. Not the TCP ping's jitter (the mean difference
    /// between successive round trips). <see langword="null"/> with fewer than two replies.
    /// </summary>
    public required TimeSpan? InterarrivalJitter { get; init; }
}
