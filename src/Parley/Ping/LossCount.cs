namespace Parley.Ping;

/// <summary>How many probes were lost for one reason, and what to check.</summary>
/// <param name="Status">The reason.</param>
/// <param name="Count">How many probes ended so.</param>
/// <param name="Hint">What to check, in a few words for a person.</param>
public sealed record LossCount(ProbeStatus Status, int Count, string Hint);
