using System.Text;

namespace Parley.Chat;

/// <summary>
/// The text rules of the chat: one strict UTF-8 line per datagram, at most <see cref="ChatProtocol.MaxDatagramBytes"/>
/// bytes, one trailing LF or CR LF ignored, and no control characters.
/// </summary>
internal static class ChatText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Why <paramref name="text"/> (without a line ending) cannot be sent, in words for a person; <see langword="null"/>
    /// when it can.
    /// </summary>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return "the text holds a broken character (a lone UTF-16 surrogate) and has no UTF-8 form";
        }

        if (bytes > ChatProtocol.MaxDatagramBytes)
        {
            return $"too long: {bytes} bytes of UTF-8, at most {ChatProtocol.MaxDatagramBytes} fit in one datagram";
        }

        return FirstControl(text) is { } control ? $"it holds a control character ({Name(control)}), which the chat does not carry" : null;
    }

    /// <summary>
    /// Decodes a received datagram: strips one trailing LF or CR LF, then checks strict UTF-8 and control characters.
    /// False when the text is not valid UTF-8 (<paramref name="control"/> null) or holds <paramref name="control"/>.
    /// </summary>
    internal static bool TryDecode(ReadOnlySpan<byte> payload, out string text, out Rune? control)
    {
        var body = payload[..^Length(EndingOf(payload))];
        text = "";
        control = null;
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(body);
        control = FirstControl(text);
        return control is null;
    }

    /// <summary>The line ending a datagram ends with.</summary>
    internal static LineEnding EndingOf(ReadOnlySpan<byte> payload) =>
        payload.EndsWith("\r\n"u8) ? LineEnding.CrLf : payload.EndsWith("\n"u8) ? LineEnding.Lf : LineEnding.None;

    /// <summary>The bytes of a line ending.</summary>
    internal static int Length(LineEnding ending) => ending switch
    {
        LineEnding.CrLf => 2,
        LineEnding.Lf => 1,
        _ => 0,
    };

    /// <summary>Strips one trailing LF or CR LF from received text.</summary>
    internal static string StripEnding(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>
    /// The first character that must not travel: C0 and C1 controls and DEL (which would move a terminal's cursor,
    /// ring its bell or start an escape sequence), the line and paragraph separators, and the bidirectional
    /// controls that can make a line read differently from what it holds.
    /// </summary>
    internal static Rune? FirstControl(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsForbidden(rune))
            {
                return rune;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="text"/> with every character that must not travel replaced by U+FFFD, so that a line from a
    /// server that breaks the rules cannot move a terminal's cursor or hide what it says.
    /// </summary>
    internal static string Printable(string text)
    {
        if (FirstControl(text) is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(IsForbidden(rune) ? "\uFFFD" : rune.ToString());
        }

        return builder.ToString();
    }

    private static bool IsForbidden(Rune rune) => Shared.TerminalText.IsUnsafe(rune);

    /// <summary>A control character's name for messages: <c>tab</c>, <c>escape</c>, <c>U+0007</c>.</summary>
    internal static string Name(Rune rune) => rune.Value switch
    {
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        0x1B => "escape",
        _ => $"U+{rune.Value:X4}",
    };
}
