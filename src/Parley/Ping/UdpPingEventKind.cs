namespace Parley.Ping;

/// <summary>What a <see cref="UdpPingEvent"/> reports.</summary>
public enum UdpPingEventKind
{
    /// <summary>A probe's first valid reply came within the reply timeout.</summary>
    Answered,

    /// <summary>A probe got no valid reply within the reply timeout, or the system reported why it cannot get one.</summary>
    Lost,

    /// <summary>A probe's first valid reply came after the reply timeout: the probe stays lost, and counts as late too.</summary>
    Late,

    /// <summary>Another valid copy of a reply already received.</summary>
    Duplicate,

    /// <summary>A datagram of this run that is not what was sent: altered, cut short or lengthened, or an unknown probe number.</summary>
    Corrupted,

    /// <summary>A datagram that is not of this run: another run's, or not a Parley probe at all.</summary>
    Foreign,
}
