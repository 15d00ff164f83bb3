using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Parley.Cli.Options;

/// <summary>Options whose values are checked strictly, with one clear line for each bad value.</summary>
internal static class OptionFactory
{
    /// <summary>
    /// <c>--port</c>/<c>-p</c>: a whole number from <paramref name="min"/> to 65535; its default is
    /// <paramref name="builtInDefault"/>, or <c>PARLEY_PORT</c> when set (an unusable value is reported as an error).
    /// </summary>
    public static Option<int> Port(string description, int min, int builtInDefault) => new("--port", "-p")
    {
        Description = $"{description} (${EnvironmentDefaults.PortVariable}, when set, replaces the default)",
        HelpName = "port",
        DefaultValueFactory = result => EnvironmentDefaults.Port(builtInDefault, result, min),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (PortParser.TryParse(text, min, out var port, out var reason))
            {
                return port;
            }

            result.AddError($"--port: {reason}");
            return 0;
        },
    };

    /// <summary>A duration such as 500ms, 5s or 2m; help shows its default the same way.</summary>
    public static Option<Duration> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => new Duration(defaultValue),
        CustomParser = result => new Duration(ParseDuration(result)),
    };

    public static Option<TimeSpan?> OptionalDuration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result => ParseDuration(result),
    };

    public static Option<int> Int(string name, string description, int defaultValue, int min, int max, string helpName = "n") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && n >= min && n <= max)
            {
                return n;
            }

            result.AddError($"{name}: '{text}' is not a whole number from {min} to {max}");
            return defaultValue;
        },
    };

    /// <summary>A word from a fixed list, matched ignoring case; the value is given in lower case; shells complete it.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices) =>
        Choice(name, description, string.Join('|', choices), defaultValue, choices);

    public static Option<string> Choice(string name, string description, string helpName, string defaultValue, string[] choices) => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CompletionSources = { choices },
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var match = choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                result.AddError($"{name}: '{text}' is not one of {string.Join(", ", choices)}");
                return defaultValue;
            }

            return match;
        },
    };

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration, out var reason))
        {
            return duration;
        }

        result.AddError($"{OptionName(result)}: {reason}");
        return TimeSpan.Zero;
    }

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : "value";

    /// <summary>
    /// A size in bytes or with KB, MB, GB (at least 1KB), kept as written so that help shows the default as people
    /// write it; with <paramref name="zeroMeansUnlimited"/>, 0 is accepted too. Read it with <see cref="TryParseSize"/>.
    /// </summary>
    public static Option<string> Size(string name, string description, string defaultValue, string examples, bool zeroMeansUnlimited = false) => new(name)
    {
        Description = description,
        HelpName = "size",
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : defaultValue;
                if (!(zeroMeansUnlimited && text.Trim() == "0") && !TryParseSize(text, out _))
                {
                    result.AddError($"{name}: '{text}' is not a size: use for example {examples}");
                }
            },
        },
    };

    /// <summary>A size as <see cref="Size"/> takes it: bytes, or a number with KB, MB or GB (powers of 1000); at least 1KB.</summary>
    public static bool TryParseSize(string text, out long size)
    {
        size = 0;
        var t = text.Trim().ToUpperInvariant();
        long multiplier = 1;
        foreach (var (suffix, factor) in new[] { ("GB", 1_000_000_000L), ("MB", 1_000_000L), ("KB", 1_000L), ("B", 1L) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                multiplier = factor;
                t = t[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > long.MaxValue / multiplier)
        {
            return false;
        }

        size = n * multiplier;
        return size >= 1_000; // 1KB, as the option says: KB, MB and GB are powers of 1000
    }
}
