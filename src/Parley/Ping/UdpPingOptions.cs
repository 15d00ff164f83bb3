using System.Net.Sockets;

namespace Parley.Ping;

/// <summary>How <see cref="UdpPinger"/> probes a UDP echo server.</summary>
public sealed class UdpPingOptions
{
    /// <summary>The largest probe, in bytes: the largest UDP payload over IPv4.</summary>
    public const int MaxSize = 65_507;

    /// <summary>The smallest probe, in bytes: the header (<see cref="UdpProbePayload.HeaderLength"/>).</summary>
    public const int MinSize = UdpProbePayload.HeaderLength;

    /// <summary>How many probes to send; 0 sends until cancelled. Default 5.</summary>
    public int Count { get; set; } = 5;

    /// <summary>Time from one probe's sending to the next one's. Default 1 second.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes per probe, the whole datagram, from <see cref="MinSize"/> to <see cref="MaxSize"/>. Default 64.</summary>
    public int Size { get; set; } = 64;

    /// <summary>
    /// How long to wait for each probe's reply; a reply after that counts as late, not as a round trip, and the probe
    /// as lost. Default 1 second.
    /// </summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Only addresses of this family, or any when <see langword="null"/> (the default).</summary>
    public AddressFamily? AddressFamily { get; set; }
}
