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

    /// <summary>Standard output is a file or pipe, not a terminal (true unless <see cref="FromSystem"/> finds a terminal).</summary>
    public bool IsOutputRedirected { get; init; } = true;

    /// <summary>Standard error is a file or pipe, not a terminal (true unless <see cref="FromSystem"/> finds a terminal).</summary>
    public bool IsErrorRedirected { get; init; } = true;

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
            IsOutputRedirected = Console.IsOutputRedirected,
            IsErrorRedirected = Console.IsErrorRedirected,
        };
    }

    /// <summary>The terminal's width in columns, 80 when it cannot be told.</summary>
    public static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth is > 10 and var width ? width : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    /// <summary>
    /// Sends everything written to the process's standard error (the logger's lines too, from any thread) to
    /// <paramref name="writer"/> until the result is disposed.
    /// </summary>
    public static IDisposable RouteStandardError(TextWriter writer)
    {
        var original = Console.Error;
        Console.SetError(writer);
        return new Restore(original);
    }

    private sealed class Restore(TextWriter original) : IDisposable
    {
        public void Dispose() => Console.SetError(original);
    }

    /// <summary>Questions are asked only at a terminal, and never with <c>--no-prompt</c>.</summary>
    public bool MayPrompt(bool noPrompt) => !noPrompt && !IsInputRedirected;
}
