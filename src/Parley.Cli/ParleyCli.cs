using System.CommandLine;
using Parley.Cli.Commands;
using Parley.Tcp;

namespace Parley.Cli;

/// <summary>The <c>parley</c> command line: builds the commands, reports usage errors and failures in one line each.</summary>
internal static class ParleyCli
{
    public static Command Build(CliConsole console)
    {
        // A plain command named "parley", not RootCommand: that one takes its name from the assembly (Parley.Cli).
        var root = new Command(
            "parley",
            "Parley: TCP and UDP echo, identification, authentication and chat servers and clients, and network checks.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption { Action = new VersionAction() },
        };
        root.Add(ServeCommand.Create(console));
        root.Add(ClientCommand.Create(console));
        root.Add(PingCommand.Create(console));
        root.Add(IdentCommands.Admin(console));
        root.Add(AuthAdminCommands.Create(console));
        root.Add(ChatCommand.Create(console));
        root.Add(BenchCommand.Create(console));
        root.Add(CompletionCommand.Create(console));
        root.Add(ManCommand.Create(console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        var root = Build(console);
        if (CompletionCommand.IsSuggestion(args))
        {
            return CompletionCommand.Suggest(root, args, console);
        }

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await console.Error.WriteLineAsync($"parley: {error.Message}");
            }

            var command = string.Join(' ', Ancestry(result.CommandResult));
            await console.Error.WriteLineAsync($"Run '{command} --help' for the options.");
            return ExitCodes.Usage;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
                Output = console.Out,
                Error = console.Error,
            });
        }
        catch (CliException e)
        {
            await console.Error.WriteLineAsync($"parley: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (StandardOutput.IsBroken(e))
        {
            // The reader of standard output went away (| head): end quietly, as on SIGPIPE.
            return StandardOutput.BrokenPipeExitCode;
        }
        catch (Exception e) when (e is OutputException or IOException)
        {
            // A full disk, a device that refuses writes, or an input or output error no command expected: one line,
            // like any other failure, never a stack trace.
            await console.Error.WriteLineAsync($"parley: {(e is IOException ? "input or output failed: " : "")}{e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static IEnumerable<string> Ancestry(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(current.Command.Name);
        }

        names.Reverse();
        return names;
    }
}
