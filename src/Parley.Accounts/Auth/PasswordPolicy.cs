using System.Globalization;

namespace Parley.Auth;

/// <summary>
/// What a new password must be (OWASP, NIST SP 800-63B): 8 to 256 characters (Unicode code points, any of them,
/// spaces included), not the user name, and typed the same twice. No composition rules.
/// </summary>
internal static class PasswordPolicy
{
    /// <summary>The shortest password, in characters.</summary>
    public const int MinLength = 8;

    /// <summary>The longest password, in characters.</summary>
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="password"/> is refused, or <see langword="null"/> when it is acceptable. The reason never quotes the password.</summary>
    public static string? Check(string userName, string password, string confirmation)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(confirmation);
        var length = password.EnumerateRunes().Count();
        if (length < MinLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the password is {length} characters long; it needs at least {MinLength}");
        }

        if (length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the password is {length} characters long; the most is {MaxLength}");
        }

        if (password.Trim().Equals(userName.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "the password must not be the user name";
        }

        return password == confirmation ? null : "the two passwords do not match";
    }
}
