using Parley.Cli.Dialog;
using Parley.Dialog;
using Spectre.Console.Testing;

namespace Parley.Cli.Tests.Dialog;

public sealed class ConsoleDialogUserTests
{
    [Fact]
    public async Task Control_characters_in_what_the_server_says_never_reach_the_terminal_but_tabs_do()
    {
        var ct = TestTimeout.Token();
        using var prompts = new TestConsole();
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole
        {
            In = new StringReader("answer\n"),
            StandardOutput = Stream.Null,
            Out = output,
            Error = error,
            IsInputRedirected = true,
            Prompts = prompts,
            Display = prompts,
        };
        var user = new ConsoleDialogUser(console);

        // A server's texts could retitle the terminal, clear it, or hide what follows.
        await user.ShowAsync(DialogMessage.Say("hi\u001b]0;pwned\u0007 there\tfriend"), ct);
        await user.ShowAsync(DialogMessage.Error("bad\u001b[2J", "text\u009b"), ct);
        var answer = await user.AskAsync(DialogMessage.Ask("name", "Name?\u001b[8m", defaultAnswer: "x\u001b[1A"), ct);

        Assert.Equal("answer", answer);
        Assert.Equal($"hi\uFFFD]0;pwned\uFFFD there\tfriend{Environment.NewLine}error (bad\uFFFD[2J): text\uFFFD{Environment.NewLine}", output.ToString());
        Assert.Equal($"Name?\uFFFD[8m [x\uFFFD[1A]{Environment.NewLine}", error.ToString());
    }
}
