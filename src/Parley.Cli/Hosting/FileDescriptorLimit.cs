using System.Runtime.InteropServices;

namespace Parley.Cli.Hosting;

/// <summary>
/// Raises the soft limit on open files to the hard one, as the JIT runtime does at start and the native runtime does
/// not: without it a native server would refuse connections past the soft limit (often 1,024) that a JIT one holds.
/// On macOS the soft limit is capped at <c>OPEN_MAX</c>, as setrlimit(2) asks. Best effort: a limit that cannot be
/// read or raised is left as it is. Elsewhere (Windows) there is no such limit and this does nothing.
/// </summary>
internal static partial class FileDescriptorLimit
{
    private const int LinuxRlimitNoFile = 7;
    private const int MacRlimitNoFile = 8;
    private const ulong MacOpenMax = 10240;

    /// <summary>Raises the soft limit; returns the soft limit in force afterwards, or null where there is none.</summary>
    public static ulong? Raise()
    {
        int resource;
        if (OperatingSystem.IsLinux())
        {
            resource = LinuxRlimitNoFile;
        }
        else if (OperatingSystem.IsMacOS())
        {
            resource = MacRlimitNoFile;
        }
        else
        {
            return null;
        }

        if (GetRLimit(resource, out var limit) != 0)
        {
            return null;
        }

        var wanted = OperatingSystem.IsMacOS() ? Math.Min(limit.Maximum, MacOpenMax) : limit.Maximum;
        if (limit.Current >= wanted)
        {
            return limit.Current;
        }

        var raised = limit with { Current = wanted };
        return SetRLimit(resource, in raised) == 0 ? wanted : limit.Current;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out ResourceLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in ResourceLimit limit);

    /// <summary><c>struct rlimit</c>: two <c>rlim_t</c>, 64 bits on 64-bit Linux and macOS.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct ResourceLimit(ulong Current, ulong Maximum);
}
