using System.Net;

namespace Parley.Ping;

/// <summary>One thing a <see cref="UdpPinger"/> saw: a probe answered or lost, or a datagram that came back.</summary>
public sealed record UdpPingEvent
{
    /// <summary>What happened.</summary>
    public required UdpPingEventKind Kind { get; init; }

    /// <summary>The probe's number; 0 for a foreign datagram.</summary>
    public int Sequence { get; init; }

    /// <summary>Who sent the datagram; <see langword="null"/> for a lost probe.</summary>
    public IPEndPoint? From { get; init; }

    /// <summary>The datagram's size in bytes; 0 for a lost probe.</summary>
    public int Bytes { get; init; }

    /// <summary>From the probe's sending to this reply (answered, late, duplicate).</summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>True when the reply came after a reply to a later probe (RFC 4737).</summary>
    public bool Reordered { get; init; }

    /// <summary>What happened, in one line for a person (lost, corrupted, foreign); empty otherwise.</summary>
    public string Message { get; init; } = "";

    /// <summary>The probe's outcome, for <see cref="UdpPingEventKind.Answered"/> and <see cref="UdpPingEventKind.Lost"/>.</summary>
    public ProbeResult? Probe { get; init; }
}
