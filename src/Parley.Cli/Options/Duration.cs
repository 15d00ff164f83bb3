using System.Globalization;

namespace Parley.Cli.Options;

/// <summary>
/// An option's duration: a <see cref="TimeSpan"/> that reads back the way it is written (5s, 30m, 8h, not 00:00:05),
/// which is how help shows a default.
/// </summary>
internal readonly record struct Duration(TimeSpan Value)
{
    public static implicit operator TimeSpan(Duration duration) => duration.Value;

    public override string ToString() => Value.Ticks switch
    {
        0 => "0s",
        var t when t % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{Value.TotalHours:0}h"),
        var t when t % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{Value.TotalMinutes:0}m"),
        var t when t % TimeSpan.TicksPerSecond == 0 => string.Create(CultureInfo.InvariantCulture, $"{Value.TotalSeconds:0}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Value.TotalMilliseconds:0.###}ms"),
    };
}
