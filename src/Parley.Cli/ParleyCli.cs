using System.CommandLine;
using Parley.Cli.Commands.Auth;
using Parley.Cli.Commands.Bench;
using Parley.Cli.Commands.Chat;
using Parley.Cli.Commands.Echo;
using Parley.Cli.Commands.Ident;
using Parley.Cli.Commands.Ping;
using Parley.Cli.Commands.Shell;
using Parley.Shared;

namespace Parley.Cli;

/// <summary>The <c>parley</c> command line: builds the commands, reports usage errors and failures in one line each.</summary>
internal static class ParleyCli
{
    /// <summary>The top-level commands, by name, each made only when needed (<see cref="Build"/>).</summary>
    private static readonly (string Name, Func<CliConsole, Command> Create)[] Commands =
    [
        ("serve", Serve),
        ("client", Client),
        ("ping", PingCommands.Create),
        ("ident", IdentCommands.Admin),
        ("auth", AuthCommands.Admin),
        ("chat", ChatCommands.Client),
        ("bench", BenchCommand.Create),
        ("completion", CompletionCommand.Create),
        ("man", ManCommand.Create),
    ];

    private static Command Serve(CliConsole console) =>
        new("serve", "Run a server in the foreground (stop it with 'stop' on its console, Ctrl+C or SIGTERM)")
        {
            EchoCommands.Serve(console),
            IdentCommands.Serve(console),
            AuthCommands.Serve(console),
            ChatCommands.Serve(console),
        };

    private static Command Client(CliConsole console) =>
        EchoCommands.Client(new Command("client", "Connect to a Parley server; without a subcommand, the echo client")
        {
            EchoCommands.Client(
                new Command("echo", "Echo client: sends each line of standard input, prints what comes back on standard output (default port 9000)"),
                console),
            IdentCommands.Client(console),
            AuthCommands.Client(console),
        }, console);

    /// <summary>
    /// The command tree, or the part of it that <paramref name="args"/> can reach: the one top-level command they name.
    /// Making every command's options cost each run at start (bench/README.md, start-up); help, completion, typos and
    /// the man page still see every command. A bare <c>--version</c> needs none (<see cref="RunAsync"/>).
    /// </summary>
    public static Command Build(CliConsole console, string[]? args = null)
    {
        // A plain command named "parley", not RootCommand: that one takes its name from the assembly (Parley.Cli).
        var root = new Command(
            "parley",
            "Parley: TCP and UDP echo, identification, authentication and chat servers and clients, and network checks.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption { Action = new VersionAction() },
        };
        var wanted = args switch
        {
            [var first, ..] when Array.Exists(Commands, c => c.Name == first) => first,
            _ => null,
        };
        foreach (var (name, create) in Commands)
        {
            if (wanted is null || wanted == name)
            {
                root.Add(create(console));
            }
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        if (args is ["--version"])
        {
            // Answered before any command exists: even the root's help and version options load System.CommandLine's
            // resources for their descriptions, a tenth of the native binary's start (bench/README.md, start-up).
            return VersionAction.Write(console.Out);
        }

        var root = Build(console, args);
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
        catch (Exception e) when (StandardOutput.IsBroken(e))
        {
            // The reader of standard output went away (| head): end quietly, as on SIGPIPE.
            return StandardOutput.BrokenPipeExitCode;
        }
        catch (ParleyException e)
        {
            // Every failure a user can meet, the library's and the command line's own: one line, the hint after it.
            await console.Error.WriteLineAsync(e.Hint.Length == 0 ? $"parley: {e.Message}" : $"parley: {e.Message} ({e.Hint})");
            return ExitCodes.Of(e.Kind);
        }
        catch (IOException e)
        {
            // A full disk, a device that refuses writes, or an input or output error no command expected: one line,
            // like any other failure, never a stack trace.
            await console.Error.WriteLineAsync($"parley: input or output failed: {e.Message}");
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
