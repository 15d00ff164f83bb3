using Parley.Chat;
using Parley.Cli.Prompts;
using Parley.Dialog;

namespace Parley.Cli.Dialog;

/// <summary>
/// The dialog client's user at the console: the server's texts on standard output, its questions asked at the
/// terminal (secret answers typed unseen) or, with piped input, answered by the next line of standard input.
/// </summary>
internal sealed class ConsoleDialogUser(CliConsole console) : IDialogUser
{
    public async ValueTask ShowAsync(DialogMessage message, CancellationToken cancellationToken)
    {
        var text = message.Text ?? "";
        var line = message.Type == DialogTypes.Error ? $"error ({message.Code}): {text}" : text;
        await console.Out.WriteLineAsync(Printable(line).AsMemory(), cancellationToken);
        await console.Out.FlushAsync(cancellationToken);
    }

    public async ValueTask<string?> AskAsync(DialogMessage question, CancellationToken cancellationToken)
    {
        var text = Printable((question.Text ?? question.Id ?? "Answer").TrimEnd());
        var secret = question.Secret == true;
        if (!console.IsInputRedirected)
        {
            return new Prompter(console.Prompts).AskAnswer(text, question.Default is { } shown ? Printable(shown) : null, secret);
        }

        // Piped: the question goes where prompts go, the answer is the next line (never echoed).
        await console.Error.WriteLineAsync(string.IsNullOrEmpty(question.Default) ? text : $"{text} [{Printable(question.Default)}]");
        var answer = await console.In.ReadLineAsync(cancellationToken);
        return answer is { Length: 0 } && !string.IsNullOrEmpty(question.Default) ? question.Default : answer;
    }

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => console.In.ReadLineAsync(cancellationToken);

    /// <summary>
    /// A server's text as it may reach a terminal: control characters become U+FFFD (as in the chat client), so that
    /// the server cannot move the cursor, retitle or clear the terminal, or hide what it shows; tabs stay.
    /// </summary>
    private static string Printable(string text) => string.Join('\t', text.Split('\t').Select(ChatText.Printable));
}
