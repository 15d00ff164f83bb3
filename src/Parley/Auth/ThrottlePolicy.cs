namespace Parley.Auth;

/// <summary>
/// When failed sign-ins lock an account or a client address out. Failures are counted while each comes within
/// <see cref="Window"/> of the one before; at <see cref="MaxFailures"/> the key is locked for
/// <see cref="FirstLockout"/>, and each further failure doubles the lockout, up to <see cref="MaxLockout"/>. A
/// successful sign-in clears the account's count. Defaults: 5 failures, 15 minutes, 30 seconds, 15 minutes.
/// </summary>
public sealed record ThrottlePolicy
{
    /// <summary>Failures that lock the key out. Default 5.</summary>
    public int MaxFailures { get; init; } = 5;

    /// <summary>A failure more than this after the previous one starts the count again. Default 15 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The first lockout. Default 30 seconds.</summary>
    public TimeSpan FirstLockout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest lockout. Default 15 minutes.</summary>
    public TimeSpan MaxLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The state of a key after one more failure at <paramref name="now"/>.</summary>
    public ThrottleState OnFailure(ThrottleState? state, DateTimeOffset now)
    {
        var failures = state is { } s && now - s.LastFailure <= Window ? s.Failures + 1 : 1;
        var lockedUntil = state?.LockedUntil ?? DateTimeOffset.MinValue;
        if (failures >= MaxFailures)
        {
            var doublings = Math.Min(failures - MaxFailures, 30);
            var lockout = TimeSpan.FromTicks(Math.Min(FirstLockout.Ticks * (1L << doublings), MaxLockout.Ticks));
            lockedUntil = now + lockout;
        }

        return new ThrottleState(failures, now, lockedUntil);
    }

    /// <summary>Whole seconds until <paramref name="state"/> lets a sign-in through, or 0 when it does now.</summary>
    public static int RetryAfter(ThrottleState? state, DateTimeOffset now) =>
        state is { } s && s.LockedUntil > now ? (int)Math.Ceiling((s.LockedUntil - now).TotalSeconds) : 0;
}
