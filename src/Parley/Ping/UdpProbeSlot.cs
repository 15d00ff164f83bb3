namespace Parley.Ping;

/// <summary>What <see cref="UdpPingTally"/> knows of one probe sent.</summary>
internal sealed class UdpProbeSlot(long sentAt)
{
    public long SentAt { get; } = sentAt;

    /// <summary>Answered or lost once settled; <see langword="null"/> while waiting for the reply.</summary>
    public ProbeResult? Result { get; set; }

    /// <summary>Valid copies of the reply received, in time or late.</summary>
    public int Copies { get; set; }

    public TimeSpan? LateRoundTrip { get; set; }

    public bool Reordered { get; set; }
}
