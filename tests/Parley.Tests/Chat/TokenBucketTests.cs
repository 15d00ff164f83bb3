using Microsoft.Extensions.Time.Testing;
using Parley.Shared;

namespace Parley.Tests.Chat;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_gives_its_burst_then_refills_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(20, 40, time);

        Assert.Equal(40, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));
        Assert.Equal(TimeSpan.FromMilliseconds(50), bucket.TimeUntilAvailable());

        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(40, Enumerable.Range(0, 100).Count(_ => bucket.TryTake()));
    }
}
