using System.Text;

namespace Parley.Cli.Terminal;

/// <summary>
/// A one-line editor fed key by key, with no I/O of its own, so that incoming chat lines can be printed above the
/// line being typed and the line drawn again unharmed. Keys: printable characters insert at the cursor; Backspace
/// and Delete; Left, Right, Home, End (and Ctrl+A, Ctrl+E); Ctrl+U and Ctrl+K cut before and after the cursor;
/// Ctrl+W cuts the word before it; Enter submits; Ctrl+D on an empty line ends input.
/// </summary>
internal sealed class LineEditor
{
    private readonly List<Rune> _text = [];
    private char? _highSurrogate;
    private int _scroll;

    /// <summary>The cursor, in code points from the start of the line.</summary>
    public int Cursor { get; private set; }

    /// <summary>The line being typed.</summary>
    public string Text => string.Concat(_text);

    /// <summary>The line that the last <see cref="LineEditAction.Submitted"/> ended.</summary>
    public string Submitted { get; private set; } = "";

    public LineEditAction Apply(ConsoleKeyInfo key)
    {
        var c = key.KeyChar;
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Submit();
            case ConsoleKey.Backspace:
                return DeleteBefore();
            case ConsoleKey.Delete:
                return DeleteAt();
            case ConsoleKey.LeftArrow:
                return MoveTo(Cursor - 1);
            case ConsoleKey.RightArrow:
                return MoveTo(Cursor + 1);
            case ConsoleKey.Home:
                return MoveTo(0);
            case ConsoleKey.End:
                return MoveTo(_text.Count);
            default:
                break;
        }

        if (control && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z && c is '\0' or >= 'A')
        {
            c = (char)(key.Key - ConsoleKey.A + 1);
        }

        return c switch
        {
            '\r' or '\n' => Submit(),
            '\b' or '\u007f' => DeleteBefore(),
            '\u0001' => MoveTo(0),
            '\u0005' => MoveTo(_text.Count),
            '\u0002' => MoveTo(Cursor - 1),
            '\u0006' => MoveTo(Cursor + 1),
            '\u0004' => _text.Count == 0 ? LineEditAction.EndOfInput : DeleteAt(),
            '\u0015' => Cut(0, Cursor),
            '\u000b' => Cut(Cursor, _text.Count),
            '\u0017' => Cut(WordStart(), Cursor),
            _ => Insert(c),
        };
    }

    /// <summary>
    /// The part of the line that fits in <paramref name="columns"/> columns, scrolled so that the cursor shows, and
    /// the cursor's column within it. Counts one column per code point.
    /// </summary>
    public (string Visible, int CursorColumn) Render(int columns)
    {
        columns = Math.Max(1, columns);
        if (Cursor < _scroll)
        {
            _scroll = Cursor;
        }
        else if (Cursor - _scroll >= columns)
        {
            _scroll = Cursor - columns + 1;
        }

        _scroll = Math.Clamp(_scroll, 0, Math.Max(0, _text.Count - 1));
        var visible = _text.Skip(_scroll).Take(columns);
        return (string.Concat(visible), Cursor - _scroll);
    }

    private LineEditAction Insert(char c)
    {
        if (char.IsHighSurrogate(c))
        {
            _highSurrogate = c;
            return LineEditAction.None;
        }

        Rune rune;
        if (char.IsLowSurrogate(c))
        {
            if (_highSurrogate is not { } high)
            {
                return LineEditAction.None;
            }

            rune = new Rune(high, c);
        }
        else if (char.IsControl(c) || c == '\0')
        {
            return LineEditAction.None;
        }
        else
        {
            rune = new Rune(c);
        }

        _highSurrogate = null;
        _text.Insert(Cursor, rune);
        Cursor++;
        return LineEditAction.Changed;
    }

    private LineEditAction Submit()
    {
        Submitted = Text;
        _text.Clear();
        Cursor = 0;
        _scroll = 0;
        _highSurrogate = null;
        return LineEditAction.Submitted;
    }

    private LineEditAction DeleteBefore()
    {
        if (Cursor == 0)
        {
            return LineEditAction.None;
        }

        _text.RemoveAt(--Cursor);
        return LineEditAction.Changed;
    }

    private LineEditAction DeleteAt()
    {
        if (Cursor >= _text.Count)
        {
            return LineEditAction.None;
        }

        _text.RemoveAt(Cursor);
        return LineEditAction.Changed;
    }

    private LineEditAction MoveTo(int position)
    {
        position = Math.Clamp(position, 0, _text.Count);
        if (position == Cursor)
        {
            return LineEditAction.None;
        }

        Cursor = position;
        return LineEditAction.Changed;
    }

    private LineEditAction Cut(int from, int to)
    {
        if (to <= from)
        {
            return LineEditAction.None;
        }

        _text.RemoveRange(from, to - from);
        Cursor = from;
        return LineEditAction.Changed;
    }

    private int WordStart()
    {
        var i = Cursor;
        while (i > 0 && Rune.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        while (i > 0 && !Rune.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        return i;
    }
}
