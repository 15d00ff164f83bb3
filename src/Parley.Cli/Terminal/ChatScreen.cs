namespace Parley.Cli.Terminal;

/// <summary>
/// The chat's output: chat text to standard output, service messages to standard error, and, at a terminal, the
/// line being typed drawn below them. Every write takes one lock, erases the input line, writes whole lines and
/// draws the input line again, so that messages arriving while the user types never mangle what is being typed.
/// </summary>
internal sealed class ChatScreen
{
    private const string EraseLine = "\r\u001b[2K";

    private readonly Lock _lock = new();
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly TextWriter? _terminal;
    private readonly Func<int> _width;
    private LineEditor? _editor;
    private Func<string> _prompt = () => "";

    /// <param name="output">Chat text.</param>
    /// <param name="error">Service messages.</param>
    /// <param name="terminal">Where the input line is drawn; <see langword="null"/> when input is not typed at a terminal.</param>
    /// <param name="width">The terminal's width in columns.</param>
    public ChatScreen(TextWriter output, TextWriter error, TextWriter? terminal = null, Func<int>? width = null)
    {
        _out = output;
        _error = error;
        _terminal = terminal;
        _width = width ?? (() => 80);
    }

    /// <summary>A line of the conversation, on standard output.</summary>
    public void WriteChat(string line) => Write(_out, line);

    /// <summary>A service message, on standard error.</summary>
    public void WriteService(string line) => Write(_error, line);

    /// <summary>Starts drawing <paramref name="editor"/>'s line after the <paramref name="prompt"/> of the moment.</summary>
    public void ShowInput(LineEditor editor, Func<string> prompt)
    {
        lock (_lock)
        {
            _editor = editor;
            _prompt = prompt;
            Draw();
        }
    }

    /// <summary>Draws the input line again (after a key changed it).</summary>
    public void Redraw()
    {
        lock (_lock)
        {
            Draw();
        }
    }

    /// <summary>Leaves the submitted line on the screen, whole, as the user typed it, and starts a fresh input line.</summary>
    public void Submitted(string line)
    {
        lock (_lock)
        {
            if (_terminal is null)
            {
                return;
            }

            _terminal.Write(EraseLine + _prompt() + line + "\n");
            Draw();
        }
    }

    /// <summary>Erases the input line and stops drawing it.</summary>
    public void HideInput()
    {
        lock (_lock)
        {
            Erase();
            _editor = null;
        }
    }

    private void Write(TextWriter target, string line)
    {
        lock (_lock)
        {
            Erase();
            target.Write(line);
            target.Write('\n');
            target.Flush();
            Draw();
        }
    }

    private void Erase()
    {
        if (_terminal is not null && _editor is not null)
        {
            _terminal.Write(EraseLine);
            _terminal.Flush();
        }
    }

    private void Draw()
    {
        if (_terminal is null || _editor is null)
        {
            return;
        }

        var prompt = _prompt();
        var columns = _width() - prompt.Length - 1;
        var (visible, cursor) = _editor.Render(columns);
        _terminal.Write(EraseLine + prompt + visible);
        var back = visible.EnumerateRunes().Count() - cursor;
        if (back > 0)
        {
            _terminal.Write($"\u001b[{back}D");
        }

        _terminal.Flush();
    }
}
