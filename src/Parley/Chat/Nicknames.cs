using System.Globalization;
using System.Text;
using Parley.Unicode;

namespace Parley.Chat;

/// <summary>
/// Nicknames: 1 to <see cref="ChatProtocol.MaxNicknameLength"/> code points, each a letter (any script), a decimal
/// digit, <c>_</c> or <c>-</c>; combining marks may follow a letter, as many scripts need them. Following the Unicode
/// identifier rules (UTS #39), a nickname holds no invisible character (Default_Ignorable_Code_Point, a mark repeated
/// at once), and the letters of one script (or one writing system, as Japanese's); two nicknames are the same when
/// they look alike: equal after NFKC and case folding, then as confusable skeletons (<see cref="Comparer"/>).
/// </summary>
internal static class Nicknames
{
    /// <summary>Compares nicknames by what they look like: NFKC, case folding and confusable skeletons (UTS #39).</summary>
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
            if (UnicodeTables.IsDefaultIgnorable(rune.Value))
            {
                return $"{Shown(rune)} is invisible and cannot be part of a nickname";
            }

            if (!IsAllowed(rune, previous))
            {
                return $"'{Shown(rune)}' cannot be part of a nickname: use {Rule}";
            }

            if (previous == rune && IsMark(rune))
            {
                // The same mark twice looks like once (UTS #39 section 5.4).
                return $"the mark {Shown(rune)} is repeated";
            }

            previous = rune;
        }

        if (count > ChatProtocol.MaxNicknameLength)
        {
            return $"a nickname is at most {ChatProtocol.MaxNicknameLength} characters, not {count}";
        }

        return UnicodeTables.MixedScripts(candidate) is { } scripts
            ? $"it mixes scripts ({string.Join(" and ", scripts)}): use the letters of one"
            : null;
    }

    /// <summary>
    /// What <see cref="Comparer"/> compares: two nicknames are the same exactly when their keys are equal (ordinal), so
    /// a store shared by several servers (a relay) can hold one entry per key and make the same decision one server makes.
    /// </summary>
    public static string Key(string nickname)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        return NicknameComparer.Key(nickname);
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

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static string Shown(Rune rune) => rune.Value switch
    {
        ' ' => "a space",
        _ when Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) || IsMark(rune) || UnicodeTables.IsDefaultIgnorable(rune.Value) => $"U+{rune.Value:X4}",
        _ => rune.ToString(),
    };
}
