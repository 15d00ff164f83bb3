namespace Parley.Echo;

/// <summary>Settings of the UDP echo service (<see cref="UdpEchoHandler"/>).</summary>
public sealed class UdpEchoOptions
{
    /// <summary>
    /// Datagrams a second each sender address may have echoed; the excess is dropped, counted and reported once a
    /// second. Default <see langword="null"/>: no limit. Without one, anyone who forges a victim's address can make
    /// the server send the victim as many datagrams as the forger sends (no amplification, as a reply is never
    /// larger than its datagram, but a reflection).
    /// </summary>
    public double? RatePerAddress { get; set; }

    /// <summary>
    /// How many datagrams a sender may send at once before <see cref="RatePerAddress"/> applies. Default
    /// <see langword="null"/>: twice the rate.
    /// </summary>
    public double? Burst { get; set; }

    /// <summary>
    /// The most sender addresses whose rate is tracked at once, so that memory stays flat under a flood from forged
    /// addresses. Addresses silent long enough to have a full bucket again are forgotten every second; while the
    /// table is full, new addresses share one bucket. Default 10,000.
    /// </summary>
    public int MaxTrackedAddresses { get; set; } = 10_000;

    /// <summary>How often dropped datagrams are reported (one log line per reason at most). Default 1 second.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);
}
