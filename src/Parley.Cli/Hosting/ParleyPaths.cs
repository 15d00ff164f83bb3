namespace Parley.Cli.Hosting;

/// <summary>Where Parley keeps files, following the XDG base directory specification.</summary>
internal static class ParleyPaths
{
    /// <summary><c>$XDG_CONFIG_HOME/parley</c>, by default <c>~/.config/parley</c>: what the user configures or decides (known hosts, sessions).</summary>
    public static string Config => Path.Combine(Base("XDG_CONFIG_HOME", ".config"), "parley");

    /// <summary><c>$XDG_DATA_HOME/parley</c>, by default <c>~/.local/share/parley</c>: what Parley makes and keeps (the server certificate).</summary>
    public static string Data => Path.Combine(Base("XDG_DATA_HOME", Path.Combine(".local", "share")), "parley");

    private static string Base(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return !string.IsNullOrWhiteSpace(value) && Path.IsPathRooted(value)
            ? value
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), fallback);
    }
}
