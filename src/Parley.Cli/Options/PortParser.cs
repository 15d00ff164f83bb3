using System.Globalization;

namespace Parley.Cli.Options;

/// <summary>Strict port parsing for options, environment variables and prompts: a plain whole number in range.</summary>
internal static class PortParser
{
    /// <summary>
    /// Accepts ASCII digits only, with spaces around them allowed: no sign, no hex, no spaces inside. On failure
    /// <paramref name="reason"/> says why in one line.
    /// </summary>
    public static bool TryParse(string? text, int min, out int port, out string reason)
    {
        port = 0;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            reason = "a port number is needed";
            return false;
        }

        if (!trimmed.All(char.IsAsciiDigit))
        {
            reason = $"'{trimmed}' is not a port: use a whole number from {min} to 65535";
            return false;
        }

        if (trimmed.Length > 5 || !int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < min || port > 65535)
        {
            port = 0;
            reason = $"{trimmed} is out of range: a port is a whole number from {min} to 65535";
            return false;
        }

        reason = "";
        return true;
    }
}
