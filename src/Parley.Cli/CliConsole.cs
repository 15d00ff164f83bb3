using Spectre.Console;

namespace Parley.Cli;

/// <summary>
/// The process's standard streams as the commands use them: data on standard output, service messages, prompts and
/// errors on standard error, so that piping standard output gives exactly the data.
/// </summary>
internal sealed class CliConsole
{
    public required TextReader In { get; init; }

    public required Stream StandardOutput { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required bool IsInputRedirected { get; init; }

    /// <summary>Where questions are asked and answered (on standard error, keyboard in).</summary>
    public required IAnsiConsole Prompts { get; init; }

    /// <summary>Where tables and progress go (standard output).</summary>
    public required IAnsiConsole Display { get; init; }

    public static CliConsole FromSystem()
    {
        var output = Parley.Cli.StandardOutput.Open();
        return new()
        {
            In = new StreamReader(Console.OpenStandardInput(), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false),
            StandardOutput = output,
            Out = Parley.Cli.StandardOutput.Writer(output),
            Error = Console.Error,
            IsInputRedirected = Console.IsInputRedirected,
            Prompts = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
            Display = AnsiConsole.Console,
        };
    }

    /// <summary>Questions are asked only at a terminal, and never with <c>--no-prompt</c>.</summary>
    public bool MayPrompt(bool noPrompt) => !noPrompt && !IsInputRedirected;
}
