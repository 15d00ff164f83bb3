namespace Parley.Cli.Tests.Support;

/// <summary>
/// A test of what an ordinary (unprivileged) user sees. It runs as is when the tests do not run as root; as root it
/// runs a copy of parley as 'nobody' through setpriv(1), and is skipped, with the reason, when there is no setpriv.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OrdinaryUserFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Unavailable = new(WhyUnavailable);

    public OrdinaryUserFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = $"skipped: running as root, and {reason}";
        }
    }

    /// <summary>Whether the tests run as root, so that parley has to be run as 'nobody' to see an ordinary user's view.</summary>
    public static bool AsRoot => Environment.UserName == "root";

    private static string? WhyUnavailable() =>
        AsRoot && !File.Exists("/usr/bin/setpriv") ? "setpriv(1) is not installed to run parley as an ordinary user" : null;

    /// <summary>
    /// A copy of the built program that 'nobody' can run: the checkout may sit in a folder private to root (a fresh
    /// clone in a mktemp folder does), so the program's folder is copied into <paramref name="copy"/>, under the
    /// world-readable temporary folder. The copy is the size of the build (some 55 MB): the test removes it.
    /// </summary>
    internal static string ProgramForNobody(TempFolder copy)
    {
        File.SetUnixFileMode(copy.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var source = Path.GetDirectoryName(ParleyProcess.Executable)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = copy.Combine(Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy.Combine(Path.GetFileName(ParleyProcess.Executable));
    }
}
