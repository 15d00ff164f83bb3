namespace Parley.Bench;

/// <summary>Round-trip latency percentiles, in microseconds, from an HdrHistogram (3 significant digits).</summary>
public sealed record BenchLatency(
    long Count, double Mean, double P50, double P90, double P99, double P999, double Max);
