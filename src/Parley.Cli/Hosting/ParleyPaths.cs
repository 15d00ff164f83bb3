namespace Parley.Cli.Hosting;

/// <summary>
/// Every per-user file Parley keeps, in one place, following the XDG base directory specification. Without the XDG
/// variable and without a home folder, asking for a file is a usage error that names the option that avoids it.
/// </summary>
internal static class ParleyPaths
{
    /// <summary><c>$XDG_CONFIG_HOME/parley/known_hosts</c>: the servers the user trusts (TLS, trust on first use).</summary>
    public static string KnownHosts => Path.Combine(Config("the known hosts file", "give --fingerprint or --insecure"), "known_hosts");

    /// <summary><c>$XDG_CONFIG_HOME/parley/sessions.json</c>, or <c>~/.config/parley/sessions.json</c>: the auth client's session tokens.</summary>
    public static string Sessions => Path.Combine(Config("the session file", "give --session-file"), "sessions.json");

    /// <summary><c>$XDG_DATA_HOME/parley</c>, by default <c>~/.local/share/parley</c>: the self-signed server certificate Parley makes and keeps.</summary>
    public static string Certificates => Base("XDG_DATA_HOME", Path.Combine(".local", "share"), "the server certificate", "give --cert and --key");

    /// <summary><c>$XDG_CONFIG_HOME/parley</c>, by default <c>~/.config/parley</c>: what the user configures or decides.</summary>
    private static string Config(string what, string instead) => Base("XDG_CONFIG_HOME", ".config", what, instead);

    private static string Base(string variable, string fallback, string what, string instead)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value) && Path.IsPathRooted(value))
        {
            return Path.Combine(value, "parley");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? throw new CliException($"cannot find the home folder for {what}: set HOME, or {instead}", ExitCodes.Usage)
            : Path.Combine(home, fallback, "parley");
    }
}
