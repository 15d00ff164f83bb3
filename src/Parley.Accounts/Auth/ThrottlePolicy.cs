namespace Parley.Auth;

/// <summary>
/// How failed sign-ins are throttled (issue 16, "lockout without denial"). Failures are counted per key while each
/// comes within <see cref="Window"/> of the one before. A client address, and an account from one address (the pair),
/// are locked at <see cref="MaxFailures"/> for <see cref="FirstLockout"/>, each further failure doubling the lockout up
/// to <see cref="MaxLockout"/>. An account as a whole is never locked, so that nobody can lock its owner out: from
/// <see cref="SlowAfter"/> failures on, its failing answers are slowed down instead, one at a time, each delayed by
/// <see cref="FirstDelay"/> doubling up to <see cref="MaxDelay"/>. A successful sign-in clears the account's count and
/// the pair's. Defaults: 5 failures, 15 minutes, 30 seconds, 15 minutes; slowed after 5 failures, 1 second up to 10.
/// </summary>
internal sealed record ThrottlePolicy
{
    /// <summary>Failures that lock an address, or an account from one address. Default 5.</summary>
    public int MaxFailures { get; init; } = 5;

    /// <summary>A failure more than this after the previous one starts the count again. Default 15 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The first lockout. Default 30 seconds.</summary>
    public TimeSpan FirstLockout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lockout. Default 15 minutes.</summary>
    public TimeSpan MaxLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures for one account, from any addresses, before its failing answers are slowed down. Default 5.</summary>
    public int SlowAfter { get; init; } = 5;

    /// <summary>The delay of the first slowed answer; each further failure doubles it. Default 1 second.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay of a failing answer. Default 10 seconds.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The state of a locking key (an address, or an account from one address) after one more failure at <paramref name="now"/>.</summary>
    public ThrottleState OnFailure(ThrottleState? state, DateTimeOffset now)
    {
        var failures = Count(state, now);
        var lockedUntil = state?.LockedUntil ?? DateTimeOffset.MinValue;
        if (failures >= MaxFailures)
        {
            lockedUntil = now + Doubled(FirstLockout, failures - MaxFailures, MaxLockout);
        }

        return new ThrottleState(failures, now, lockedUntil);
    }

    /// <summary>
    /// The state of an account's key after one more failure at <paramref name="now"/>: its
    /// <see cref="ThrottleState.LockedUntil"/> is when this failing answer may be sent (now, unless slowed). Null when
    /// another failing answer for the account is still being delayed: one at a time.
    /// </summary>
    public ThrottleState? OnAccountFailure(ThrottleState? state, DateTimeOffset now)
    {
        if (state is { } s && s.LockedUntil > now)
        {
            return null;
        }

        var failures = Count(state, now);
        var delay = failures <= SlowAfter ? TimeSpan.Zero : Doubled(FirstDelay, failures - SlowAfter - 1, MaxDelay);
        return new ThrottleState(failures, now, now + delay);
    }

    /// <summary>Whole seconds until <paramref name="state"/> lets a sign-in through, or 0 when it does now.</summary>
    public static int RetryAfter(ThrottleState? state, DateTimeOffset now) =>
        state is { } s && s.LockedUntil > now ? (int)Math.Ceiling((s.LockedUntil - now).TotalSeconds) : 0;

    private int Count(ThrottleState? state, DateTimeOffset now) => state is { } s && now - s.LastFailure <= Window ? s.Failures + 1 : 1;

    private static TimeSpan Doubled(TimeSpan first, int doublings, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(first.Ticks * (1L << Math.Clamp(doublings, 0, 30)), max.Ticks));
}
