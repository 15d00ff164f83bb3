using Microsoft.Extensions.Logging;

namespace Parley.Cli.Logging;

/// <summary>Where service messages go and how much of them.</summary>
internal sealed record LoggingSettings(LogLevel Level, string? File, bool AlsoConsole, LogFormat Format, long FileSizeLimit)
{
    public static LoggingSettings Console(LogLevel level = LogLevel.Information) => new(level, null, true, LogFormat.Text, 10_000_000);
}
