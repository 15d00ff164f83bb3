namespace Parley.Ping;

/// <summary>Minimum, average, maximum, 99th percentile and jitter of a series of durations.</summary>
/// <param name="Min">The shortest.</param>
/// <param name="Average">The arithmetic mean.</param>
/// <param name="Max">The longest.</param>
/// <param name="P99">The 99th percentile by the nearest-rank method: the smallest sample that at least 99% of the samples do not exceed.</param>
/// <param name="Jitter">
/// The mean absolute difference between consecutive samples, in the order measured (the mean inter-packet delay
/// variation of RFC 3393); zero for a single sample.
/// </param>
public sealed record LatencySummary(TimeSpan Min, TimeSpan Average, TimeSpan Max, TimeSpan P99, TimeSpan Jitter)
{
    /// <summary>The summary of <paramref name="samples"/>, given in the order measured; <see langword="null"/> when there are none.</summary>
    internal static LatencySummary? Of(IReadOnlyList<TimeSpan> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return null;
        }

        long total = 0;
        long variation = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            total += samples[i].Ticks;
            if (i > 0)
            {
                variation += Math.Abs(samples[i].Ticks - samples[i - 1].Ticks);
            }
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(
            sorted[0],
            TimeSpan.FromTicks(total / sorted.Length),
            sorted[^1],
            Percentile(sorted, 99),
            samples.Count < 2 ? TimeSpan.Zero : TimeSpan.FromTicks(variation / (samples.Count - 1)));
    }

    /// <summary>
    /// The <paramref name="percent"/>th percentile of <paramref name="sorted"/> (ascending, not empty) by the
    /// nearest-rank method: the sample at rank ⌈percent/100 × n⌉.
    /// </summary>
    internal static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
