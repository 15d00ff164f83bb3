using Parley.Ping;

namespace Parley.Tests.Ping;

public sealed class LatencySummaryTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static List<TimeSpan> Series(params double[] ms) => ms.Select(Ms).ToList();

    [Fact]
    public void No_samples_have_no_summary()
    {
        Assert.Null(LatencySummary.Of([]));
    }

    [Fact]
    public void One_sample_is_its_own_min_average_max_and_p99_with_no_jitter()
    {
        var summary = LatencySummary.Of(Series(7))!;

        Assert.Equal(new LatencySummary(Ms(7), Ms(7), Ms(7), Ms(7), TimeSpan.Zero), summary);
    }

    [Fact]
    public void Five_samples_give_min_average_max_and_the_largest_as_p99()
    {
        // Nearest rank: ceil(0.99 * 5) = 5, the largest.
        var summary = LatencySummary.Of(Series(10, 30, 20, 50, 40))!;

        Assert.Equal(Ms(10), summary.Min);
        Assert.Equal(Ms(30), summary.Average);
        Assert.Equal(Ms(50), summary.Max);
        Assert.Equal(Ms(50), summary.P99);
    }

    [Fact]
    public void The_p99_of_1_to_100_ms_in_any_order_is_99_ms()
    {
        var samples = Enumerable.Range(1, 100).Select(i => Ms(i)).OrderBy(_ => Random.Shared.Next()).ToList();

        var summary = LatencySummary.Of(samples)!;

        Assert.Equal(Ms(99), summary.P99);
        Assert.Equal(Ms(1), summary.Min);
        Assert.Equal(Ms(100), summary.Max);
        Assert.Equal(Ms(50.5), summary.Average);
    }

    [Fact]
    public void The_p99_of_1_to_200_ms_is_198_ms()
    {
        var summary = LatencySummary.Of(Enumerable.Range(1, 200).Select(i => Ms(i)).ToList())!;

        Assert.Equal(Ms(198), summary.P99);
    }

    [Fact]
    public void Jitter_is_the_mean_absolute_difference_between_consecutive_samples()
    {
        // |30-10| + |20-30| + |50-20| + |40-50| = 70 over 4 differences.
        var summary = LatencySummary.Of(Series(10, 30, 20, 50, 40))!;

        Assert.Equal(Ms(17.5), summary.Jitter);
    }

    [Fact]
    public void Jitter_follows_the_order_measured_not_the_sorted_order()
    {
        var alternating = LatencySummary.Of(Series(10, 20, 10, 20))!;
        var rising = LatencySummary.Of(Series(10, 10, 20, 20))!;

        Assert.Equal(Ms(10), alternating.Jitter);
        Assert.Equal(TimeSpan.FromTicks(Ms(10).Ticks / 3), rising.Jitter);
        Assert.Equal(alternating.P99, rising.P99);
    }

    [Fact]
    public void Steady_samples_have_no_jitter()
    {
        Assert.Equal(TimeSpan.Zero, LatencySummary.Of(Series(3, 3, 3, 3))!.Jitter);
    }

    [Theory]
    [InlineData(50, 5)]
    [InlineData(90, 9)]
    [InlineData(100, 10)]
    [InlineData(0.1, 1)]
    public void Percentiles_use_the_nearest_rank(double percent, double expectedMs)
    {
        var sorted = Enumerable.Range(1, 10).Select(i => Ms(i)).ToList();

        Assert.Equal(Ms(expectedMs), LatencySummary.Percentile(sorted, percent));
    }
}
