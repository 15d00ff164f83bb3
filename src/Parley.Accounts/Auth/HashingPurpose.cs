namespace Parley.Auth;

/// <summary>What a password hash is for, in the <see cref="PasswordHashingPool"/>'s queue.</summary>
internal enum HashingPurpose
{
    /// <summary>Checking an existing account's password (or the dummy hash of an unknown user).</summary>
    SignIn,

    /// <summary>Hashing a new account's password, or upgrading a stored hash: may use only part of the queue.</summary>
    Registration,
}
