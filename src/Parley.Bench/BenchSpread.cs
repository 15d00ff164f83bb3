namespace Parley.Bench;

/// <summary>How a rate spreads over connections: the slowest, the median and the fastest connection.</summary>
public readonly record struct BenchSpread(double Slowest, double Median, double Fastest)
{
    /// <summary>The spread of <paramref name="values"/> (zeroes when there are none).</summary>
    public static BenchSpread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return default;
        }

        var median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new BenchSpread(sorted[0], median, sorted[^1]);
    }
}
