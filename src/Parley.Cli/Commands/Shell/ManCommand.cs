using System.CommandLine;

namespace Parley.Cli.Commands.Shell;

/// <summary>
/// <c>parley man</c> (hidden): prints parley(1) as <see cref="ManPage"/> makes it; docs/parley.1 is its output,
/// checked by a test to stay so.
/// </summary>
internal static class ManCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("man", "Print the parley(1) manual page, in roff") { Hidden = true };
        command.SetAction(_ =>
        {
            // The page shows the built-in defaults, not the ones this shell's PARLEY_* variables would give.
            foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("PARLEY_", StringComparison.Ordinal)))
            {
                System.Environment.SetEnvironmentVariable(name, null);
            }

            // Every command, not only the part of the tree built to run this one (ParleyCli.Build).
            console.Out.Write(ManPage.Generate(ParleyCli.Build(console)));
            console.Out.Flush();
            return ExitCodes.Ok;
        });
        return command;
    }
}
