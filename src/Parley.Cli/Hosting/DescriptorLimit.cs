using System.Globalization;

namespace Parley.Cli.Hosting;

/// <summary>
/// The process's limit on open file descriptors (every connection takes one), and the default
/// <c>--max-connections</c> it allows: the limit less a margin for what the server holds itself (the listening
/// socket, log files, the database, the runtime's own descriptors), so that it refuses connections before it runs
/// out of descriptors.
/// </summary>
internal static class DescriptorLimit
{
    /// <summary>The least margin kept, in descriptors.</summary>
    public const int MinMargin = 64;

    /// <summary>
    /// The soft limit on open files from <c>/proc/self/limits</c> (Linux; .NET raises it to the hard limit at start),
    /// or <see langword="null"/> when there is none or it is unknown (other systems).
    /// </summary>
    public static long? OpenFiles()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/limits"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft "Max open files" limit in the text of a <c>/proc/PID/limits</c> file; null when unlimited or absent.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The default <c>--max-connections</c> for a limit of <paramref name="openFiles"/> descriptors: the limit less a
    /// tenth of it, at least <see cref="MinMargin"/> (at least 1 connection); 0 (unlimited) when there is no limit.
    /// </summary>
    public static int DefaultMaxConnections(long? openFiles) => openFiles switch
    {
        null => 0,
        { } n => (int)Math.Clamp(n - Math.Max(MinMargin, n / 10), 1, int.MaxValue),
    };
}
