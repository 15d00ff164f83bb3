namespace Parley.Ping;

/// <summary>One UDP probe's outcome: the outcome every ping has, and what only UDP can do to a datagram.</summary>
/// <param name="Result">Answered (with its round trip) or lost (with why).</param>
/// <param name="LateRoundTrip">For a lost probe whose reply came after the reply timeout, when it came.</param>
/// <param name="Duplicates">Valid copies of its reply beyond the first.</param>
/// <param name="Reordered">True when its first reply came after a reply to a later probe (RFC 4737).</param>
public sealed record UdpProbeResult(ProbeResult Result, TimeSpan? LateRoundTrip, int Duplicates, bool Reordered);
