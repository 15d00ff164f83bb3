using Parley.Cli.Terminal;

namespace Parley.Cli.Tests.Terminal;

public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);

    private static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0', bool control = false) => new(c, key, false, false, control);

    private static LineEditor Typed(string text)
    {
        var editor = new LineEditor();
        foreach (var c in text)
        {
            editor.Apply(Char(c));
        }

        return editor;
    }

    [Fact]
    public void Typed_characters_build_the_line_and_Enter_submits_it()
    {
        var editor = Typed("hello");

        Assert.Equal(LineEditAction.Submitted, editor.Apply(Key(ConsoleKey.Enter, '\r')));
        Assert.Equal("hello", editor.Submitted);
        Assert.Equal("", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void Arrows_move_the_cursor_and_typing_inserts_there()
    {
        var editor = Typed("helo");

        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Char('l'));
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Char('>'));
        editor.Apply(Key(ConsoleKey.End));
        editor.Apply(Char('!'));

        Assert.Equal(">hello!", editor.Text);
    }

    [Fact]
    public void Backspace_and_Delete_remove_around_the_cursor()
    {
        var editor = Typed("abcd");

        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.Backspace, '\b'));
        Assert.Equal("abd", editor.Text);
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal("ab", editor.Text);
        Assert.Equal(LineEditAction.None, editor.Apply(Key(ConsoleKey.Delete)));
        editor.Apply(Char('\u007f'));
        Assert.Equal("a", editor.Text);
    }

    [Fact]
    public void Control_keys_cut_and_jump_like_a_shell()
    {
        var editor = Typed("say hello world");

        editor.Apply(Key(ConsoleKey.W, '\u0017', control: true));
        Assert.Equal("say hello ", editor.Text);
        editor.Apply(Key(ConsoleKey.A, '\u0001', control: true));
        Assert.Equal(0, editor.Cursor);
        editor.Apply(Key(ConsoleKey.K, '\u000b', control: true));
        Assert.Equal("", editor.Text);
        editor = Typed("abc");
        editor.Apply(Key(ConsoleKey.U, '\u0015', control: true));
        Assert.Equal("", editor.Text);
    }

    [Fact]
    public void Ctrl_D_ends_input_only_on_an_empty_line()
    {
        var editor = Typed("x");

        Assert.NotEqual(LineEditAction.EndOfInput, editor.Apply(Key(ConsoleKey.D, '\u0004', control: true)));
        editor.Apply(Key(ConsoleKey.Backspace, '\b'));
        Assert.Equal(LineEditAction.EndOfInput, editor.Apply(Key(ConsoleKey.D, '\u0004', control: true)));
    }

    [Fact]
    public void A_character_beyond_the_BMP_arrives_in_two_halves_and_is_one_character()
    {
        var editor = Typed("a🎉b");

        Assert.Equal("a🎉b", editor.Text);
        Assert.Equal(3, editor.Cursor);
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.Backspace, '\b'));
        Assert.Equal("ab", editor.Text);
    }

    [Fact]
    public void Control_characters_are_not_inserted()
    {
        var editor = Typed("a\tb\u001bc");

        Assert.Equal("abc", editor.Text);
    }

    [Fact]
    public void A_line_longer_than_the_screen_scrolls_to_keep_the_cursor_visible()
    {
        var editor = Typed("0123456789");

        Assert.Equal(("6789", 4), editor.Render(5));
        editor.Apply(Key(ConsoleKey.Home));
        Assert.Equal(("01234", 0), editor.Render(5));
        Assert.Equal(("0123456789", 0), editor.Render(80));
    }
}
