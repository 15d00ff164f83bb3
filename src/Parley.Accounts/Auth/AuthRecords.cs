namespace Parley.Auth;

/// <summary>An account as stored.</summary>
/// <param name="Name">The user name as it was registered.</param>
/// <param name="PasswordHash">The PHC string of the password's Argon2id hash.</param>
/// <param name="Created">When the account was made.</param>
/// <param name="LastSignIn">When the user last signed in (by password or token), if ever.</param>
public sealed record UserRecord(string Name, string PasswordHash, DateTimeOffset Created, DateTimeOffset? LastSignIn);

/// <summary>An account as <c>parley auth users</c> lists it.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Created">When the account was made.</param>
/// <param name="LastSignIn">When the user last signed in, if ever.</param>
/// <param name="ActiveSessions">Sessions not yet expired.</param>
public sealed record UserSummary(string Name, DateTimeOffset Created, DateTimeOffset? LastSignIn, int ActiveSessions);

/// <summary>How long a session lives: <paramref name="Idle"/> after its last use, <paramref name="Lifetime"/> after the password sign-in at most.</summary>
/// <param name="Idle">Unused for this long, a session expires. Default 30 minutes.</param>
/// <param name="Lifetime">A session expires this long after the password sign-in that began it, however much it is used. Default 8 hours.</param>
public sealed record SessionLimits(TimeSpan Idle, TimeSpan Lifetime)
{
    /// <summary>30 minutes idle, 8 hours in all.</summary>
    public static SessionLimits Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(8));
}

/// <summary>A session just begun or renewed.</summary>
/// <param name="User">The signed-in user's name.</param>
/// <param name="Expires">When it expires if it is not used again.</param>
public sealed record SessionGrant(string User, DateTimeOffset Expires);
