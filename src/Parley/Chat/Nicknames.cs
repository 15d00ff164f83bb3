using System.Globalization;
using System.Text;

namespace Parley.Chat;

/// <summary>
/// Nicknames: 1 to <see cref="ChatProtocol.MaxNicknameLength"/> code points, each a letter (any script), a decimal
/// digit, <c>_</c> or <c>-</c>; combining marks may follow a letter, as many scripts need them. Two nicknames are the
/// same when they are equal ignoring case (<see cref="Comparer"/>).
/// </summary>
public static class Nicknames
{
    /// <summary>Compares nicknames ignoring case, with Unicode simple case folding.</summary>
    public static StringComparer Comparer { get; } = new NicknameComparer();

    /// <summary>The rule in a few words, for messages.</summary>
    public const string Rule = "1 to 32 letters, digits, _ or -";

    /// <summary>
    /// Why <paramref name="candidate"/> is not a valid nickname, in words for a person; <see langword="null"/> when it is.
    /// </summary>
    public static string? Problem(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Length == 0)
        {
            return $"a nickname cannot be empty: use {Rule}";
        }

        var count = 0;
        Rune? previous = null;
        foreach (var rune in candidate.EnumerateRunes())
        {
            count++;
            if (!IsAllowed(rune, previous))
            {
                return $"'{Shown(rune)}' cannot be part of a nickname: use {Rule}";
            }

            previous = rune;
        }

        return count > ChatProtocol.MaxNicknameLength
            ? $"a nickname is at most {ChatProtocol.MaxNicknameLength} characters, not {count}"
            : null;
    }

    /// <summary>True when <paramref name="candidate"/> is a valid nickname.</summary>
    public static bool IsValid(string candidate) => Problem(candidate) is null;

    private static bool IsAllowed(Rune rune, Rune? previous)
    {
        if (rune.Value is '_' or '-' || Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
        {
            return true;
        }

        var category = Rune.GetUnicodeCategory(rune);
        var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
        return isMark && previous is { } p && (Rune.IsLetter(p) || Rune.GetUnicodeCategory(p) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark);
    }

    private static string Shown(Rune rune) => rune.Value switch
    {
        ' ' => "a space",
        _ when Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) => $"U+{rune.Value:X4}",
        _ => rune.ToString(),
    };
}
