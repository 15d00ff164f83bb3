using System.CommandLine;
using System.CommandLine.Parsing;

namespace Parley.Cli.Options;

/// <summary>
/// Safe reads for command validators: <c>GetValue</c> throws there when the option's own value did not parse (its
/// error is already reported), so validators look at what was typed instead.
/// </summary>
internal static class CommandResultExtensions
{
    /// <summary>Whether the option was typed on the command line (a flag counts unless given as <c>false</c>).</summary>
    public static bool Given(this CommandResult result, Option option)
    {
        var found = result.GetResult(option);
        return found is { Implicit: false } && !(found.Tokens.Count == 1 && found.Tokens[0].Value.Equals("false", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The text typed for the option, if any.</summary>
    public static string? Typed(this CommandResult result, Option option) =>
        result.GetResult(option) is { Implicit: false, Tokens.Count: > 0 } found ? found.Tokens[^1].Value : null;
}
