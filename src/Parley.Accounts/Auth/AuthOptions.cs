namespace Parley.Auth;

/// <summary>Settings of the authentication service.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Whether an unknown user name makes a new account. Default <see langword="true"/>. When
    /// <see langword="false"/>, an unknown user gets exactly what a wrong password gets, in the same time.
    /// </summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>How long sessions live. Default 30 minutes idle, 8 hours in all.</summary>
    public SessionLimits Sessions { get; set; } = SessionLimits.Default;

    /// <summary>Failed sign-ins on one connection before it is closed. Default 3.</summary>
    public int LoginTries { get; set; } = 3;

    /// <summary>Tries at a new password (and at a valid user name) before the connection is closed. Default 3.</summary>
    public int Tries { get; set; } = 3;

    /// <summary>
    /// Accounts one client address may register in an hour; 0 for no limit. Default 0 (the command line's default is
    /// 100). Counted in the database, in the transaction that makes the account.
    /// </summary>
    public int RegistrationsPerHour { get; set; }
}
