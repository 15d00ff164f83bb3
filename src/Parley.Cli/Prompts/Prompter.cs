using System.Text;
using Parley.Cli.Options;
using Spectre.Console;

namespace Parley.Cli.Prompts;

/// <summary>
/// Asks questions at a terminal, with a default that Enter (or end of input, Ctrl+D) takes, and asks again after a
/// one-line reason when the answer is not valid. Spectre.Console's own prompts cannot tell end of input from an
/// empty answer, so the line is read key by key here, through <see cref="IAnsiConsole.Input"/> so tests can type.
/// </summary>
internal sealed class Prompter(IAnsiConsole console)
{
    private const char EndOfTransmission = '\u0004';

    /// <summary>Asks for a port from 1 to 65535.</summary>
    public int AskPort(string question, int defaultValue)
    {
        while (true)
        {
            var answer = Ask(question, defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (answer is null)
            {
                return defaultValue;
            }

            if (PortParser.TryParse(answer, 1, out var port, out var reason))
            {
                return port;
            }

            console.WriteLine(reason);
        }
    }

    /// <summary>Asks for a host name; <paramref name="check"/> returns why a name is unusable, or null.</summary>
    public string AskHost(string question, string defaultValue, Func<string, string?> check)
    {
        while (true)
        {
            var host = Ask(question, defaultValue)?.Trim() ?? defaultValue;
            if (host.Length == 0 || host.Any(char.IsWhiteSpace))
            {
                console.WriteLine($"'{host}' is not a host name: give a name such as localhost or an address such as 192.168.1.10");
                continue;
            }

            if (check(host) is { } problem)
            {
                console.WriteLine(problem);
                continue;
            }

            return host;
        }
    }

    /// <summary>Asks a yes/no question; only yes (or y) is yes, and end of input is no.</summary>
    public bool Confirm(string question)
    {
        while (true)
        {
            var answer = Ask(question + " (yes/no)", "no")?.Trim().ToLowerInvariant();
            switch (answer)
            {
                case null or "n" or "no":
                    return false;
                case "y" or "yes":
                    return true;
                default:
                    console.WriteLine("Please answer yes or no.");
                    break;
            }
        }
    }

    /// <summary>Asks a free-text question; null when the user ended input without an answer and there is no default.</summary>
    public string? AskText(string question, string? defaultValue = null, bool secret = false)
    {
        var answer = Ask(question, defaultValue, secret);
        return string.IsNullOrEmpty(answer) ? defaultValue : answer;
    }

    /// <summary>
    /// Asks a server's question: an empty answer takes the default (or stays empty, for the server to judge); null
    /// only at end of input. Secret answers are not shown while typed.
    /// </summary>
    public string? AskAnswer(string question, string? defaultValue, bool secret)
    {
        var shown = string.IsNullOrEmpty(defaultValue) ? $"{question} " : $"{question} [{defaultValue}] ";
        console.Write(new Text(shown));
        var line = ReadLine(secret);
        return line is { Length: 0 } && !string.IsNullOrEmpty(defaultValue) ? defaultValue : line;
    }

    /// <summary>Writes the question and reads one line: null at end of input or for an empty answer.</summary>
    private string? Ask(string question, string? defaultValue, bool secret = false)
    {
        var shown = string.IsNullOrEmpty(defaultValue) ? $"{question}: " : $"{question} [{defaultValue}]: ";
        console.Write(new Text(shown));
        var line = ReadLine(secret);
        return string.IsNullOrWhiteSpace(line) ? null : line;
    }

    /// <summary>Reads a line key by key: Enter ends it, Backspace edits, Ctrl+D on an empty line is end of input.</summary>
    internal string? ReadLine(bool secret)
    {
        var text = new StringBuilder();
        while (true)
        {
            var read = console.Input.ReadKey(intercept: true);
            if (read is not { } key)
            {
                console.WriteLine();
                return null;
            }

            if (key.Key == ConsoleKey.Enter || key.KeyChar is '\r' or '\n')
            {
                console.WriteLine();
                return text.ToString();
            }

            if (key.KeyChar == EndOfTransmission || (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
            {
                if (text.Length == 0)
                {
                    console.WriteLine();
                    return null;
                }

                continue;
            }

            if (key.Key == ConsoleKey.Backspace || key.KeyChar == '\b')
            {
                if (text.Length > 0)
                {
                    text.Length--;
                    if (!secret)
                    {
                        console.Write(new Text("\b \b"));
                    }
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
                if (!secret)
                {
                    console.Write(new Text(key.KeyChar.ToString()));
                }
            }
        }
    }
}
