using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Dialog;

/// <summary>Turns dialog messages into JSON text and back. Lenient on input: unknown fields are ignored.</summary>
internal static class DialogCodec
{
    // Relaxed escaping keeps non-ASCII text readable on the wire ("Привет", not "\u041F..."); the text is never
    // embedded in HTML, which is what the default encoder guards against.
    private static readonly DialogJsonContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    });

    /// <summary>The JSON text of <paramref name="message"/>.</summary>
    public static string Serialize(DialogMessage message) => JsonSerializer.Serialize(message, Context.DialogMessage);

    /// <summary>
    /// Parses one message. Returns <see langword="false"/> with the problem in a few words when the text is not a
    /// JSON object of the right shape or has no <c>type</c>.
    /// </summary>
    public static bool TryParse(string text, out DialogMessage message, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        message = new DialogMessage();
        DialogMessage? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(text, Context.DialogMessage);
        }
        catch (JsonException e)
        {
            problem = Describe(e, text);
            return false;
        }

        if (parsed is null)
        {
            problem = "not a JSON object";
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Type))
        {
            problem = "the message has no type";
            return false;
        }

        message = parsed;
        problem = "";
        return true;
    }

    private static string Describe(JsonException e, string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length > 0 && trimmed[0] != '{' && !trimmed.StartsWith("null", StringComparison.Ordinal))
        {
            return "not a JSON object";
        }

        // The exception's own message may quote the input (a password sent by mistake): give only the place. The
        // place quotes property names, which came from the network too: escaped, as they reach logs and screens.
        return e.Path is { Length: > 1 } path && e.LineNumber is { } line
            ? $"not valid JSON for a dialog message (at {Shared.TerminalText.Escape(path)}, line {line + 1})"
            : e.LineNumber is { } l ? $"not valid JSON (line {l + 1}, byte {e.BytePositionInLine + 1})" : "not valid JSON";
    }
}
