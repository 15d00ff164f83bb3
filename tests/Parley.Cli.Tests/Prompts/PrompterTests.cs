using Parley.Cli.Prompts;
using Spectre.Console.Testing;

namespace Parley.Cli.Tests.Prompts;

public sealed class PrompterTests
{
    private static readonly ConsoleKeyInfo CtrlD = new('\u0004', ConsoleKey.D, shift: false, alt: false, control: true);

    [Fact]
    public void Enter_takes_the_default_shown_in_brackets()
    {
        using var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        var port = new Prompter(console).AskPort("Port to listen on", 9000);

        Assert.Equal(9000, port);
        Assert.StartsWith("Port to listen on [9000]: ", console.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("letters", "'letters' is not a port: use a whole number from 1 to 65535")]
    [InlineData("0x10", "'0x10' is not a port: use a whole number from 1 to 65535")]
    [InlineData("-1", "'-1' is not a port: use a whole number from 1 to 65535")]
    [InlineData("70000", "70000 is out of range: a port is a whole number from 1 to 65535")]
    [InlineData("90 00", "'90 00' is not a port: use a whole number from 1 to 65535")]
    [InlineData("0", "0 is out of range: a port is a whole number from 1 to 65535")]
    public void An_invalid_port_gets_a_one_line_reason_and_the_question_again(string typed, string reason)
    {
        using var console = new TestConsole();
        console.Input.PushTextWithEnter(typed);
        console.Input.PushTextWithEnter("8080");

        var port = new Prompter(console).AskPort("Port to listen on", 9000);

        Assert.Equal(8080, port);
        Assert.Equal(
            [$"Port to listen on [9000]: {typed}", reason, "Port to listen on [9000]: 8080"],
            console.Lines.Where(l => l.Length > 0));
    }

    [Fact]
    public void End_of_input_takes_the_default()
    {
        using var console = new TestConsole();
        console.Input.PushKey(CtrlD);

        Assert.Equal(9000, new Prompter(console).AskPort("Server port", 9000));
    }

    [Fact]
    public void End_of_input_after_a_wrong_answer_still_takes_the_default()
    {
        using var console = new TestConsole();
        console.Input.PushTextWithEnter("abc");
        console.Input.PushKey(CtrlD);

        Assert.Equal(9001, new Prompter(console).AskPort("Server port", 9001));
    }

    [Fact]
    public void Backspace_edits_the_answer()
    {
        using var console = new TestConsole();
        console.Input.PushText("90x");
        console.Input.PushKey(ConsoleKey.Backspace);
        console.Input.PushTextWithEnter("1");

        Assert.Equal(901, new Prompter(console).AskPort("Server port", 9000));
    }

    [Fact]
    public void A_host_that_does_not_resolve_gets_the_resolvers_reason_and_the_question_again()
    {
        using var console = new TestConsole();
        console.Input.PushTextWithEnter("nowhere.invalid");
        console.Input.PushTextWithEnter("127.0.0.1");

        var host = new Prompter(console).AskHost("Server host", "localhost",
            h => h == "nowhere.invalid" ? "cannot resolve nowhere.invalid: Name or service not known" : null);

        Assert.Equal("127.0.0.1", host);
        Assert.Contains("cannot resolve nowhere.invalid: Name or service not known", console.Lines);
        Assert.Equal(2, console.Lines.Count(l => l.StartsWith("Server host [localhost]: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_real_resolver_check_reports_an_unknown_name()
    {
        var problem = Parley.Cli.Options.HostChecks.Resolves("no-such-host.invalid");

        Assert.NotNull(problem);
        Assert.StartsWith("cannot resolve no-such-host.invalid: ", problem, StringComparison.Ordinal);
        Assert.Null(Parley.Cli.Options.HostChecks.Resolves("127.0.0.1"));
    }

    [Fact]
    public void Enter_at_the_host_question_takes_the_default()
    {
        using var console = new TestConsole();
        console.Input.PushKey(ConsoleKey.Enter);

        Assert.Equal("localhost", new Prompter(console).AskHost("Server host", "localhost", _ => null));
    }

    [Fact]
    public void Secret_answers_are_not_shown()
    {
        using var console = new TestConsole();
        console.Input.PushTextWithEnter("hunter22");

        var answer = new Prompter(console).AskText("Password", secret: true);

        Assert.Equal("hunter22", answer);
        Assert.DoesNotContain("hunter22", console.Output, StringComparison.Ordinal);
    }
}
