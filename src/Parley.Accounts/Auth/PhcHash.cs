using System.Globalization;

namespace Parley.Auth;

/// <summary>
/// An Argon2id hash in the PHC string format, as stored:
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, salt and hash in standard base64 without padding.
/// </summary>
/// <param name="Settings">The cost parameters it was made with.</param>
/// <param name="Salt">The random salt (16 bytes).</param>
/// <param name="Hash">The derived bytes (32).</param>
internal sealed record PhcHash(Argon2Settings Settings, byte[] Salt, byte[] Hash)
{
    /// <summary>The Argon2 version this format carries: 0x13 (19).</summary>
    public const int Version = 19;

    private const string Prefix = "$argon2id$";

    /// <summary>The PHC string.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}v={Version}${Settings}${Encode(Salt)}${Encode(Hash)}");

    /// <summary>Parses a PHC string; <see langword="false"/> when it is not an Argon2id v19 hash of this shape.</summary>
    public static bool TryParse(string? text, out PhcHash hash)
    {
        hash = null!;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split('$');
        if (parts.Length != 4 || parts[0] != $"v={Version}")
        {
            return false;
        }

        var parameters = parts[1].Split(',');
        if (parameters.Length != 3
            || !TryParameter(parameters[0], "m=", out var m)
            || !TryParameter(parameters[1], "t=", out var t)
            || !TryParameter(parameters[2], "p=", out var p)
            || !TryDecode(parts[2], out var salt) || salt.Length < 8
            || !TryDecode(parts[3], out var derived) || derived.Length < 16)
        {
            return false;
        }

        hash = new PhcHash(new Argon2Settings(m, t, p), salt, derived);
        return true;
    }

    private static bool TryParameter(string text, string name, out int value)
    {
        value = 0;
        return text.StartsWith(name, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var buffer = new byte[padded.Length * 3 / 4];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
