using System.Text;

namespace Parley.Cli.Terminal;

/// <summary>
/// Standard error while the chat's input line is drawn: collects what is written (by the logger, on its own
/// thread) into whole lines and hands each to the <see cref="ChatScreen"/>, which writes it above the input line.
/// </summary>
internal sealed class ScreenErrorWriter(ChatScreen screen) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                var line = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
                screen.WriteService(line);
            }
            else
            {
                _pending.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (var i = 0; i < count; i++)
        {
            Write(buffer[index + i]);
        }
    }
}
