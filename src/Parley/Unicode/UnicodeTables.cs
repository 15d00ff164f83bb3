using System.Text;

namespace Parley.Unicode;

/// <summary>
/// The Unicode properties that identifiers need (UTS #39, UAX #31), from pinned tables (UnicodeTables.g.cs, made by
/// tools/unicode/generate.py) rather than ICU: the project runs without ICU (InvariantGlobalization, under which
/// <see cref="string.Normalize()"/> does nothing), and servers built alike must compare names alike.
/// </summary>
internal static partial class UnicodeTables
{
    private const int HangulFirst = 0xAC00;
    private const int HangulLast = 0xD7A3;
    private const int Common = 1;
    private const int Inherited = 2;

    /// <summary>The Unicode version of the tables.</summary>
    public const string Version = "15.0.0";

    /// <summary>Whether <paramref name="codePoint"/> is Default_Ignorable_Code_Point: invisible, such as U+034F or U+FE00.</summary>
    public static bool IsDefaultIgnorable(int codePoint)
    {
        var ranges = IgnorableRanges;
        for (var i = 0; i < ranges.Length; i += 2)
        {
            if (codePoint < ranges[i])
            {
                return false;
            }

            if (codePoint <= ranges[i + 1])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="text"/> compatibility-decomposed and case-folded until stable, default-ignorable code points
    /// dropped, marks in canonical order: two strings with the same NFKC_Casefold have the same fold.
    /// </summary>
    public static string Fold(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            AppendFolded(rune.Value, codePoints);
        }

        return Ordered(codePoints);
    }

    /// <summary>
    /// The UTS #39 skeleton of <paramref name="text"/> folded (<see cref="Fold"/>), folded again: two names that
    /// look alike ignoring case (<c>alice</c> with a Cyrillic <c>а</c>, <c>a1ice</c> with a digit 1, <c>rn</c> and
    /// <c>m</c>) have the same one; so do <c>aIice</c> with a capital I and <c>alice</c>.
    /// </summary>
    public static string Skeleton(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in Fold(text).EnumerateRunes())
        {
            if (Find(PrototypeKeys, rune.Value) is var i and >= 0)
            {
                foreach (var mapped in PrototypeValues.AsSpan(PrototypeStarts[i], PrototypeStarts[i + 1] - PrototypeStarts[i]).EnumerateRunes())
                {
                    codePoints.Add(mapped.Value);
                }
            }
            else
            {
                codePoints.Add(rune.Value);
            }
        }

        // Folding first loses what a capital I looks like: UTS #39 maps I to l, but I folds to i, whose prototype is
        // itself, so aIice would pass beside alice. One key must stay an equivalence (names are hashed by it), so i
        // joins l's class after folding: aIice and alice meet, Ian still meets ian, at the price of ian meeting lan.
        return Fold(Ordered(codePoints)).Replace('i', 'l');
    }

    /// <summary>
    /// The scripts <paramref name="text"/> mixes, by name, when no one script (or one writing system: Han with
    /// Hiragana and Katakana, Han with Hangul, Han with Bopomofo) covers all its letters (UTS #39 section 5.1, with
    /// Script_Extensions); null when one does. Common and Inherited characters go with any script.
    /// </summary>
    public static IReadOnlyList<string>? MixedScripts(string text)
    {
        HashSet<int>? resolved = null;
        var seen = new List<string>();
        foreach (var rune in text.EnumerateRunes())
        {
            var scripts = ScriptsOf(rune.Value);
            if (scripts.Count == 1 && scripts[0] is Common or Inherited)
            {
                continue;
            }

            foreach (var script in scripts)
            {
                if (!seen.Contains(ScriptNames[script]) && scripts.Count == 1)
                {
                    seen.Add(ScriptNames[script]);
                }
            }

            var augmented = Augmented(scripts);
            if (resolved is null)
            {
                resolved = augmented;
            }
            else
            {
                resolved.IntersectWith(augmented);
            }
        }

        return resolved is null || resolved.Count > 0 ? null : seen;
    }

    private static List<int> ScriptsOf(int codePoint)
    {
        var value = ScriptValues[Run(ScriptStarts, codePoint)];
        return value < 256 ? [value] : [.. ScriptSets[value - 256]];
    }

    /// <summary>A script set with the writing systems its scripts belong to (UTS #39's Jpan, Kore and Hanb).</summary>
    private static HashSet<int> Augmented(List<int> scripts)
    {
        const int Hanb = 1000, Jpan = 1001, Kore = 1002;
        var set = new HashSet<int>(scripts);
        foreach (var script in scripts)
        {
            switch (ScriptNames[script])
            {
                case "Han":
                    set.UnionWith([Hanb, Jpan, Kore]);
                    break;
                case "Hiragana" or "Katakana":
                    set.Add(Jpan);
                    break;
                case "Hangul":
                    set.Add(Kore);
                    break;
                case "Bopomofo":
                    set.Add(Hanb);
                    break;
            }
        }

        return set;
    }

    private static void AppendFolded(int codePoint, List<int> into)
    {
        if (codePoint is >= HangulFirst and <= HangulLast)
        {
            // Hangul syllables decompose by arithmetic (The Unicode Standard, section 3.12).
            var index = codePoint - HangulFirst;
            into.Add(0x1100 + (index / (21 * 28)));
            into.Add(0x1161 + (index % (21 * 28) / 28));
            if (index % 28 != 0)
            {
                into.Add(0x11A7 + (index % 28));
            }
        }
        else if (IsDefaultIgnorable(codePoint))
        {
            // NFKC_Casefold drops them: invisible, they cannot tell two names apart.
        }
        else if (Find(FoldKeys, codePoint) is var i and >= 0)
        {
            foreach (var mapped in FoldValues.AsSpan(FoldStarts[i], FoldStarts[i + 1] - FoldStarts[i]).EnumerateRunes())
            {
                into.Add(mapped.Value);
            }
        }
        else
        {
            into.Add(codePoint);
        }
    }

    /// <summary>The code points as a string, each run of marks in canonical order (stable by combining class).</summary>
    private static string Ordered(List<int> codePoints)
    {
        for (var i = 1; i < codePoints.Count; i++)
        {
            var cc = CombiningClass(codePoints[i]);
            if (cc == 0)
            {
                continue;
            }

            for (var j = i; j > 0 && CombiningClass(codePoints[j - 1]) > cc; j--)
            {
                (codePoints[j - 1], codePoints[j]) = (codePoints[j], codePoints[j - 1]);
            }
        }

        var builder = new StringBuilder(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            builder.Append(new Rune(codePoint).ToString());
        }

        return builder.ToString();
    }

    private static int CombiningClass(int codePoint) => CombiningClasses[Run(CombiningStarts, codePoint)];

    /// <summary>The index of <paramref name="value"/> in sorted <paramref name="keys"/>, or a negative number.</summary>
    private static int Find(ReadOnlySpan<int> keys, int value) => keys.BinarySearch(value);

    /// <summary>The run that <paramref name="codePoint"/> falls in: the last start at or below it.</summary>
    private static int Run(ReadOnlySpan<int> starts, int codePoint)
    {
        var i = starts.BinarySearch(codePoint);
        return i >= 0 ? i : ~i - 1;
    }
}
