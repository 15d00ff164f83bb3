namespace Parley.Shared;

/// <summary>
/// A token bucket: <see cref="Capacity"/> tokens at most, refilled at <see cref="RatePerSecond"/>; each message
/// takes one. Time comes from the caller's <see cref="TimeProvider"/> timestamps, so a fake clock drives it in tests.
/// Not thread-safe: its owner serialises access.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(double ratePerSecond, double capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _time = time;
        _tokens = capacity;
        _refilledAt = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public double Capacity { get; }

    /// <summary>Whether the bucket holds all its tokens: then it is no different from a new one.</summary>
    public bool IsFull
    {
        get
        {
            Refill();
            return _tokens >= Capacity;
        }
    }

    /// <summary>Takes a token if there is one.</summary>
    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    /// <summary>How long until a token is there (zero when there is one now).</summary>
    public TimeSpan TimeUntilAvailable()
    {
        Refill();
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / RatePerSecond);
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now);
        _refilledAt = now;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(Capacity, _tokens + (elapsed.TotalSeconds * RatePerSecond));
        }
    }
}
