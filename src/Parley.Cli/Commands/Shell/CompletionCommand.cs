using System.CommandLine;

namespace Parley.Cli.Commands.Shell;

/// <summary>
/// <c>parley completion bash|zsh|fish|powershell</c> prints a completion script (<see cref="CompletionScripts"/>);
/// <c>parley [suggest:N] "words"</c>, which the scripts call, answers from the command tree.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliConsole console)
    {
        var shell = new Argument<string>("shell")
        {
            Description = $"The shell: {string.Join(", ", CompletionScripts.Shells)}",
        };
        shell.CompletionSources.Add(CompletionScripts.Shells);
        shell.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!CompletionScripts.Shells.Contains(text))
            {
                result.AddError($"'{text}' is not a shell parley completes: {string.Join(", ", CompletionScripts.Shells)}");
            }
        });
        var command = new Command("completion", "Print a shell completion script for parley (commands, options and fixed choices)")
        {
            shell,
        };
        command.SetAction(result =>
        {
            console.Out.Write(CompletionScripts.For(result.GetRequiredValue(shell)));
            console.Out.Flush();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whether <paramref name="args"/> ask for completions (<c>[suggest]</c> or <c>[suggest:N]</c> first).</summary>
    public static bool IsSuggestion(string[] args) => args is [var first, ..] && first.StartsWith("[suggest", StringComparison.Ordinal);

    /// <summary>
    /// Answers the suggest directive. It works only under a <see cref="RootCommand"/>, whose name is the assembly's
    /// (Parley.Cli under the JIT) and would show in help and usage errors: so parley's tree stays under its own root
    /// command, and only here is it put under a <see cref="RootCommand"/> that carries the directive.
    /// </summary>
    public static int Suggest(Command parley, string[] args, CliConsole console)
    {
        var root = new RootCommand(parley.Description ?? "");
        root.Options.Clear();
        foreach (var option in parley.Options)
        {
            root.Options.Add(option);
        }

        foreach (var command in parley.Subcommands)
        {
            root.Subcommands.Add(command);
        }

        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error });
        console.Out.Flush();
        return exit;
    }
}
