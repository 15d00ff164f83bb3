using System.Threading.Channels;
using Spectre.Console;

namespace Parley.Cli.Terminal;

/// <summary>
/// Lines typed at a terminal, read key by key on a thread of their own (a key read blocks) into a
/// <see cref="LineEditor"/> that the <see cref="ChatScreen"/> draws below the conversation.
/// </summary>
internal sealed class TerminalInput : IChatInput
{
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IAnsiConsoleInput _keys;
    private readonly ChatScreen _screen;
    private readonly LineEditor _editor = new();

    public TerminalInput(IAnsiConsoleInput keys, ChatScreen screen, Func<string> prompt)
    {
        _keys = keys;
        _screen = screen;
        screen.ShowInput(_editor, prompt);
        var reader = new Thread(ReadKeys) { IsBackground = true, Name = "parley chat keys" };
        reader.Start();
    }

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _lines.Reader.ReadAsync(cancellationToken);

    private void ReadKeys()
    {
        try
        {
            while (_keys.ReadKey(intercept: true) is { } key)
            {
                switch (_editor.Apply(key))
                {
                    case LineEditAction.Changed:
                        _screen.Redraw();
                        break;
                    case LineEditAction.Submitted:
                        _screen.Submitted(_editor.Submitted);
                        _lines.Writer.TryWrite(_editor.Submitted);
                        break;
                    case LineEditAction.EndOfInput:
                        _lines.Writer.TryWrite(null);
                        return;
                    default:
                        break;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // The terminal went away: that is the end of input.
        }

        _lines.Writer.TryWrite(null);
    }
}
