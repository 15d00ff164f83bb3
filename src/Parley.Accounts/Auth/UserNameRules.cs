using System.Globalization;

namespace Parley.Auth;

/// <summary>
/// What makes a user name: trimmed, 1 to <see cref="MaxLength"/> characters, each a letter, a digit, or one of
/// <c>. _ - @</c>. Names are unique regardless of case: <c>Alice</c> and <c>alice</c> are the same account.
/// </summary>
internal static class UserNameRules
{
    /// <summary>The longest user name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The name as it is stored, or <see langword="null"/> with the reason in <paramref name="reason"/>.</summary>
    public static string? Check(string? text, out string reason)
    {
        var name = (text ?? "").Trim();
        if (name.Length == 0)
        {
            reason = "the user name is empty";
            return null;
        }

        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            length++;
            if (!System.Text.Rune.IsLetterOrDigit(rune) && rune.Value is not ('.' or '_' or '-' or '@'))
            {
                reason = "a user name has only letters, digits and . _ - @";
                return null;
            }
        }

        if (length > MaxLength)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"the user name is {length} characters long; the most is {MaxLength}");
            return null;
        }

        reason = "";
        return name;
    }

    /// <summary>The key a name is unique under: lower case (invariant).</summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant();
    }
}
