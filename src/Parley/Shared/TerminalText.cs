using System.Buffers;
using System.Globalization;
using System.Text;

namespace Parley.Shared;

/// <summary>
/// The one rule for text that came from the network and is about to reach a terminal, a log file or a log viewer:
/// which characters are unsafe there (control characters, which can clear a screen, set a terminal's title, ring its
/// bell, start an escape sequence or forge a new log line; the line and paragraph separators; and the bidirectional
/// controls that make a line read differently from what it holds), and how they are shown instead (<c>\n</c>,
/// <c>\x1b</c>, <c>\u202e</c>). Every log sink applies it as a backstop; code that quotes input applies it too.
/// </summary>
internal static class TerminalText
{
    /// <summary>Whether <paramref name="rune"/> must not reach a terminal as it is.</summary>
    public static bool IsUnsafe(Rune rune) =>
        Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 or 0x200E or 0x200F or 0x061C or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    /// <summary>
    /// Whether <paramref name="rune"/> is escaped in what is logged or quoted: every unsafe character, and the
    /// invisible format characters (soft hyphen, zero-width space and joiners, word joiner, tags: Unicode's Cf), so
    /// that <c>admin</c> and <c>admin</c> with a zero-width space do not look the same in a log.
    /// </summary>
    public static bool IsEscaped(Rune rune) => IsUnsafe(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format;

    /// <summary>Whether <paramref name="text"/> holds any character that <see cref="IsEscaped"/>.</summary>
    public static bool HasUnsafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            // Fast path: printable ASCII is the common case; anything else is looked at as a whole rune below.
            if (c is < ' ' or >= '\x7f')
            {
                return HasUnsafeRune(text);
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="text"/> with every character that <see cref="IsEscaped"/> written as an escape (<c>\n</c>, <c>\r</c>, <c>\t</c>,
    /// <c>\xNN</c>, <c>\uNNNN</c>); the same instance when there is nothing to escape. Meant for safety, not to be
    /// reversed: a backslash is left as it is.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasUnsafe(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            AppendEscaped(builder, rune);
        }

        return builder.ToString();
    }

    /// <summary>
    /// A short printable preview of bytes for logs: at most <paramref name="maxChars"/> characters, every unsafe
    /// character escaped, bytes that are not UTF-8 written <c>\xNN</c>, and <c>…</c> when cut short.
    /// </summary>
    public static string Preview(ReadOnlySpan<byte> data, int maxChars)
    {
        var builder = new StringBuilder(Math.Min(maxChars, data.Length) + 8);
        var i = 0;
        while (i < data.Length && builder.Length < maxChars)
        {
            if (Rune.DecodeFromUtf8(data[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                builder.Append("\\x").Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            if (rune.Value == '\\')
            {
                builder.Append("\\\\");
            }
            else
            {
                AppendEscaped(builder, rune);
            }

            i += consumed;
        }

        if (i < data.Length)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }

    private static bool HasUnsafeRune(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsEscaped(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendEscaped(StringBuilder builder, Rune rune)
    {
        switch (rune.Value)
        {
            case '\n': builder.Append("\\n"); return;
            case '\r': builder.Append("\\r"); return;
            case '\t': builder.Append("\\t"); return;
        }

        if (IsEscaped(rune))
        {
            builder.Append(rune.Value <= 0xff
                ? string.Create(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}")
                : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
            return;
        }

        // No string per character: this runs for every logged read when data events are on.
        Span<char> utf16 = stackalloc char[2];
        builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }
}
