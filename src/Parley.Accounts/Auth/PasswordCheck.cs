namespace Parley.Auth;

/// <summary>The result of checking a password against a stored hash.</summary>
internal enum PasswordCheck
{
    /// <summary>Wrong password (or an unusable stored hash).</summary>
    Invalid,

    /// <summary>Right password.</summary>
    Valid,

    /// <summary>Right password, and the stored hash is weaker than the current settings: hash it again.</summary>
    ValidNeedsUpgrade,
}
