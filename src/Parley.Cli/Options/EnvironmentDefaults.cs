using System.CommandLine.Parsing;

namespace Parley.Cli.Options;

/// <summary>
/// <c>PARLEY_HOST</c> and <c>PARLEY_PORT</c>, when set, replace the built-in defaults of host and port options;
/// <c>PARLEY_DB</c> that of <c>--db</c>.
/// Only the CLI reads the environment; the library never does.
/// </summary>
internal static class EnvironmentDefaults
{
    public const string HostVariable = "PARLEY_HOST";
    public const string PortVariable = "PARLEY_PORT";
    public const string DatabaseVariable = "PARLEY_DB";

    /// <summary>The <c>--db</c> default: <c>PARLEY_DB</c> when set, otherwise <paramref name="builtIn"/>.</summary>
    public static string Database(string builtIn) =>
        Environment.GetEnvironmentVariable(DatabaseVariable) is { } db && !string.IsNullOrWhiteSpace(db) ? db.Trim() : builtIn;

    public static string Host(string builtIn) =>
        Environment.GetEnvironmentVariable(HostVariable) is { } host && !string.IsNullOrWhiteSpace(host) ? host.Trim() : builtIn;

    /// <summary>The port default; an unusable <c>PARLEY_PORT</c> is reported as an error of the option.</summary>
    public static int Port(int builtIn, ArgumentResult? result = null, int min = 1)
    {
        var text = Environment.GetEnvironmentVariable(PortVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return builtIn;
        }

        if (PortParser.TryParse(text, min, out var port, out var reason))
        {
            return port;
        }

        result?.AddError($"{PortVariable}: {reason}");
        return builtIn;
    }
}
