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
    /// clone in a mktemp folder does), so the program's folder is copied under the world-readable temporary folder.
    /// </summary>
    public static string ProgramForNobody()
    {
        var copy = Directory.CreateTempSubdirectory("parley-nobody-").FullName;
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var source = Path.GetDirectoryName(ParleyProcess.Executable)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return Path.Combine(copy, Path.GetFileName(ParleyProcess.Executable));
    }
}
