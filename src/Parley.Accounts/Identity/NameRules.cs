using System.Globalization;
using System.Text;

namespace Parley.Identity;

/// <summary>
/// What makes a name: trimmed of white space, 1 to <see cref="MaxLength"/> characters (Unicode code points), and no
/// control characters (nor the invisible characters that reorder text on a terminal). Names are stored as given, not
/// normalised: the program runs with invariant globalization.
/// </summary>
internal static class NameRules
{
    /// <summary>The longest name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The name as it is stored, or <see langword="null"/> with the reason in <paramref name="reason"/>.</summary>
    public static string? Check(string? text, out string reason)
    {
        var name = (text ?? "").Trim();
        if (name.Length == 0)
        {
            reason = "the name is empty";
            return null;
        }

        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            length++;
            if (IsForbidden(rune))
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"the name holds a control character (U+{rune.Value:X4})");
                return null;
            }
        }

        if (length > MaxLength)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"the name is {length} characters long; the most is {MaxLength}");
            return null;
        }

        reason = "";
        return name;
    }

    internal static bool IsForbidden(Rune rune) =>
        Rune.IsControl(rune)
        || rune.Value is 0x2028 or 0x2029 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0xFEFF;
}
