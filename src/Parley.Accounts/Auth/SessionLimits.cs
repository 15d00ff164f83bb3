namespace Parley.Auth;

/// <summary>How long a session lives: <paramref name="Idle"/> after its last use, <paramref name="Lifetime"/> after the password sign-in at most.</summary>
/// <param name="Idle">Unused for this long, a session expires. Default 30 minutes.</param>
/// <param name="Lifetime">A session expires this long after the password sign-in that began it, however much it is used. Default 8 hours.</param>
public sealed record SessionLimits(TimeSpan Idle, TimeSpan Lifetime)
{
    /// <summary>30 minutes idle, 8 hours in all.</summary>
    public static SessionLimits Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(8));
}
