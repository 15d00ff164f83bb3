namespace Parley.Cli;

/// <summary>
/// What <c>parley --version</c> prints: the version and the git commit the program was built from. The SDK's source
/// control support reads the commit from the clone's <c>.git</c> folder at build time (no network) and appends it to
/// the informational version as <c>+commit</c>; a build outside a clone has none and says so. The build writes that
/// informational version here as a constant (<c>Informational</c>, target <c>WriteBuildInfoVersion</c> in the
/// project), so printing it needs no reflection.
/// </summary>
internal static partial class BuildInfo
{
    /// <summary>The version, without build metadata, e.g. <c>0.1.0</c>.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The full commit id, or null when the build was made outside a git clone.</summary>
    public static string? Commit => Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : null;

    /// <summary>One line, e.g. <c>parley 0.1.0 (commit 6aa32b808d849e7256d2911b0c45eca4766dc271)</c>.</summary>
    public static string VersionLine => $"parley {Version} ({(Commit is { } commit ? "commit " + commit : "commit unknown")})";
}
