using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Cli.Options;

/// <summary>Durations on the command line: <c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, or a plain number of seconds.</summary>
internal static partial class DurationParser
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    public static bool TryParse(string text, out TimeSpan duration, out string reason)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            reason = $"'{text}' is not a duration: use for example 500ms, 5s, 2m or 1h";
            return false;
        }

        var seconds = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "ms" => n / 1000,
            "m" or "min" => n * 60,
            "h" => n * 3600,
            _ => n,
        };
        // .NET timers (Task.Delay, CancelAfter) take at most about 49 days; a millisecond is the finest that means anything here.
        if (seconds < 0.001 || seconds > MaxDuration.TotalSeconds)
        {
            reason = $"'{text}' is out of range: give a duration from 1 ms to 30 days";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        reason = "";
        return true;
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)\s*(?<unit>ms|s|m|min|h)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
