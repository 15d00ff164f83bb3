namespace Parley.Auth;

/// <summary>An account as stored.</summary>
/// <param name="Name">The user name as it was registered.</param>
/// <param name="PasswordHash">The PHC string of the password's Argon2id hash.</param>
/// <param name="Created">When the account was made.</param>
/// <param name="LastSignIn">When the user last signed in (by password or token), if ever.</param>
internal sealed record UserRecord(string Name, string PasswordHash, DateTimeOffset Created, DateTimeOffset? LastSignIn);

/// <summary>An account as <c>parley auth users</c> lists it.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Created">When the account was made.</param>
/// <param name="LastSignIn">When the user last signed in, if ever.</param>
/// <param name="ActiveSessions">Sessions not yet expired.</param>
internal sealed record UserSummary(string Name, DateTimeOffset Created, DateTimeOffset? LastSignIn, int ActiveSessions);

/// <summary>A session just begun or renewed.</summary>
/// <param name="User">The signed-in user's name.</param>
/// <param name="Expires">When it expires if it is not used again.</param>
internal sealed record SessionGrant(string User, DateTimeOffset Expires);
