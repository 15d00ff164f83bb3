using Spectre.Console.Testing;

namespace Parley.Cli.Tests;

public sealed class ParleyCliTests
{
    [Fact]
    public void Naming_a_top_level_command_builds_that_command_alone_with_everything_under_it()
    {
        var console = TestConsole();
        var everything = ParleyCli.Build(console);

        foreach (var command in everything.Subcommands)
        {
            var built = ParleyCli.Build(console, [command.Name, "--help"]);

            Assert.Equal([command.Name], built.Subcommands.Select(c => c.Name));
            Assert.Equal(Describe(command), Describe(built.Subcommands[0]));
        }
    }

    [Fact]
    public void Anything_else_builds_every_command()
    {
        var console = TestConsole();
        var count = ParleyCli.Build(console).Subcommands.Count;

        Assert.Equal(count, ParleyCli.Build(console, ["--help"]).Subcommands.Count);
        Assert.Equal(count, ParleyCli.Build(console, ["serv"]).Subcommands.Count);
        Assert.Equal(count, ParleyCli.Build(console, ["[suggest:2]", "se"]).Subcommands.Count);
    }

    private static string Describe(System.CommandLine.Command command) =>
        $"{command.Name}({string.Join(",", command.Options.Select(o => o.Name))})[{string.Join(";", command.Subcommands.Select(Describe))}]";

    private static CliConsole TestConsole()
    {
        var ansi = new TestConsole();
        return new CliConsole
        {
            In = TextReader.Null,
            StandardOutput = Stream.Null,
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            IsInputRedirected = true,
            Prompts = ansi,
            Display = ansi,
        };
    }
}
