using System.Globalization;

namespace Parley.Cli.Hosting;

/// <summary>
/// The process's limit on open file descriptors (every connection takes one), and the default
/// <c>--max-connections</c> it allows: the limit, less the descriptors open at start (the runtime's own: a JIT-compiled
/// build keeps one or two per assembly), less a margin for what the server opens later (the listening socket, log
/// files, the database), so that it refuses connections before it runs out of descriptors.
/// </summary>
internal static class DescriptorLimit
{
    /// <summary>The least margin kept, in descriptors.</summary>
    public const int MinMargin = 128;

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

    /// <summary>How many descriptors the process has open now (from <c>/proc/self/fd</c>); 0 when unknown.</summary>
    public static int InUse()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
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
    /// The default <c>--max-connections</c> for a limit of <paramref name="openFiles"/> descriptors of which
    /// <paramref name="inUse"/> are open: what is left less a tenth of the limit, at least <see cref="MinMargin"/> (and
    /// at least 1 connection); 0 (unlimited) when there is no limit.
    /// </summary>
    public static int DefaultMaxConnections(long? openFiles, int inUse) => openFiles switch
    {
        null => 0,
        { } n => (int)Math.Clamp(n - inUse - Math.Max(MinMargin, n / 10), 1, int.MaxValue),
    };
}
