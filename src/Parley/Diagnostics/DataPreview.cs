using System.Text;

namespace Parley.Diagnostics;

/// <summary>A short printable preview of bytes for logs: control characters and bytes that are not text escaped.</summary>
internal static class DataPreview
{
    public const int DefaultLength = 48;

    public static string Of(ReadOnlySpan<byte> data, int maxChars = DefaultLength)
    {
        var builder = new StringBuilder(Math.Min(maxChars, data.Length) + 8);
        Span<char> utf16 = stackalloc char[2];
        var i = 0;
        while (i < data.Length && builder.Length < maxChars)
        {
            var status = System.Text.Rune.DecodeFromUtf8(data[i..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                builder.Append("\\x").Append(data[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                i++;
                continue;
            }

            switch (rune.Value)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
                    {
                        builder.Append(rune.Value <= 0xff ? $"\\x{rune.Value:x2}" : $"\\u{rune.Value:x4}");
                    }
                    else
                    {
                        // No string per character: this runs for every logged read when data events are on.
                        builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
                    }

                    break;
            }

            i += consumed;
        }

        if (i < data.Length)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
