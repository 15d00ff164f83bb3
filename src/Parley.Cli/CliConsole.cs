using Spectre.Console;

namespace Parley.Cli;

/// <summary>
/// The process's standard streams as the commands use them: data on standard output, service messages, prompts and
/// errors on standard error, so that piping standard output gives exactly the data.
/// </summary>
internal sealed class CliConsole
{
    // Spectre.Console's consoles are made at first use: detecting the terminal's capabilities cost every command at
    // start, and most never draw a table or ask a question (bench/README.md, start-up).
    private readonly Lazy<IAnsiConsole> _prompts = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));
    private readonly Lazy<IAnsiConsole> _display = new(() => AnsiConsole.Console);

    public required TextReader In { get; init; }

    public required Stream StandardOutput { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required bool IsInputRedirected { get; init; }

    /// <summary>Where questions are asked and answered (on standard error, keyboard in).</summary>
    public IAnsiConsole Prompts
    {
        get => _prompts.Value;
        init => _prompts = new(value);
    }

    /// <summary>Where tables and progress go (standard output).</summary>
    public IAnsiConsole Display
    {
        get => _display.Value;
        init => _display = new(value);
    }

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
        };
    }

    /// <summary>Questions are asked only at a terminal, and never with <c>--no-prompt</c>.</summary>
    public bool MayPrompt(bool noPrompt) => !noPrompt && !IsInputRedirected;
}
