using Parley.Cli.Terminal;

namespace Parley.Cli.Tests.Terminal;

public sealed class ChatScreenTests
{
    private const string Erase = "\r\u001b[2K";

    [Fact]
    public void A_message_arriving_while_typing_is_printed_above_the_line_being_typed_which_is_drawn_again_whole()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new StringWriter();
        var screen = new ChatScreen(output, error, terminal, () => 80);
        var editor = new LineEditor();
        screen.ShowInput(editor, () => "bob> ");
        foreach (var c in "hel")
        {
            editor.Apply(new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
        }

        terminal.GetStringBuilder().Clear();
        screen.Redraw();
        screen.WriteChat("<alice> hi bob");

        Assert.Equal("<alice> hi bob\n", output.ToString());
        Assert.Equal($"{Erase}bob> hel{Erase}{Erase}bob> hel", terminal.ToString());
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void Service_messages_go_to_standard_error_and_a_submitted_line_stays_on_the_screen()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new StringWriter();
        var screen = new ChatScreen(output, error, terminal, () => 80);
        screen.ShowInput(new LineEditor(), () => "bob> ");

        screen.WriteService("12:00:00 INF Sent 5 bytes to the server");
        screen.Submitted("hello");
        screen.HideInput();

        Assert.Equal("12:00:00 INF Sent 5 bytes to the server\n", error.ToString());
        Assert.EndsWith($"{Erase}bob> hello\n{Erase}bob> {Erase}", terminal.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Without_a_terminal_lines_are_written_as_they_are()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var screen = new ChatScreen(output, error);

        screen.WriteChat("<alice> hi");
        screen.WriteService("parley: server not responding");

        Assert.Equal("<alice> hi\n", output.ToString());
        Assert.Equal("parley: server not responding\n", error.ToString());
    }

    [Fact]
    public void The_logger_writing_in_pieces_reaches_the_screen_as_whole_lines()
    {
        var error = new StringWriter();
        var screen = new ChatScreen(new StringWriter(), error);
        using var writer = new ScreenErrorWriter(screen);

        writer.Write("12:00:00 INF ");
        writer.Write("Received 9 bytes".ToCharArray(), 0, 16);
        writer.Write("\r\nnext");
        writer.WriteLine(" line");

        Assert.Equal("12:00:00 INF Received 9 bytes\nnext line\n", error.ToString());
    }
}
