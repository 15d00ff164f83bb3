using System.Globalization;

namespace Parley.Shared;

/// <summary>Formats durations the way a person reads them: <c>850 ms</c>, <c>12.3 s</c>, <c>4 min 05 s</c>, <c>2 h 03 min</c>.</summary>
internal static class Durations
{
    public static string Format(TimeSpan duration)
    {
        var c = CultureInfo.InvariantCulture;
        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(c, $"{duration.TotalMilliseconds:0.#} ms");
        }

        if (duration < TimeSpan.FromMinutes(1))
        {
            return string.Create(c, $"{duration.TotalSeconds:0.0#} s");
        }

        if (duration < TimeSpan.FromHours(1))
        {
            return string.Create(c, $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s");
        }

        return string.Create(c, $"{(int)duration.TotalHours} h {duration.Minutes:00} min");
    }
}
