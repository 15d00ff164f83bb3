namespace Parley.Echo;

/// <summary>
/// Finds the line commands <c>exit</c> and <c>stop</c> in an echo stream without waiting for the end of ordinary
/// lines. A command is a whole line: the word (ASCII case-insensitive), optionally one CR, then LF. Only the bytes of
/// a line that could still turn out to be a command are held back (at most <see cref="MaxPending"/>); they are
/// released in front of the next read's bytes as soon as the line proves to be data, so the echo stays in order.
/// </summary>
/// <remarks>
/// The caller reads into <c>buffer[MaxPending..]</c> and leaves the first <see cref="MaxPending"/> bytes free:
/// released bytes are written there, just before the new data, so that one write sends both.
/// </remarks>
internal struct LineCommandDetector
{
    /// <summary>The longest held-back prefix: <c>exit\r</c> or <c>stop\r</c> is 5 bytes; one spare.</summary>
    public const int MaxPending = 8;

    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    private readonly bool _stopIsCommand;
    private State _state;
    private LineCommand _candidate;
    private int _matched;
    private ulong _pending;
    private int _pendingCount;

    /// <summary>Creates a detector at the start of a line.</summary>
    /// <param name="stopIsCommand">
    /// When <see langword="false"/>, a <c>stop</c> line is echoed as data and reported through
    /// <see cref="LineScan.StopRefused"/>.
    /// </param>
    public LineCommandDetector(bool stopIsCommand)
    {
        _stopIsCommand = stopIsCommand;
        _state = State.LineStart;
    }

    private enum State : byte
    {
        LineStart,
        Matching,
        MatchedWord,
        MatchedCr,
        Data,
    }

    /// <summary>Bytes held back, waiting to learn whether their line is a command.</summary>
    public readonly int PendingCount => _pendingCount;

    /// <summary>
    /// Scans <c>buffer[MaxPending..MaxPending+count]</c>. Held-back bytes that turn out to be data are copied into
    /// the free space just before it, and the result says which range to echo.
    /// </summary>
    public LineScan Scan(Span<byte> buffer, int count)
    {
        var data = buffer.Slice(MaxPending, count);
        var carried = _pendingCount;
        var echoStart = MaxPending;
        if (carried > 0)
        {
            // Write the held bytes in front now; if the line turns out to be a command they are simply not echoed.
            echoStart = MaxPending - carried;
            WritePending(buffer.Slice(echoStart, carried));
        }

        var refused = false;
        var lineStart = -carried; // where the current line began, relative to data; negative: in the held bytes
        var i = 0;
        while (i < data.Length)
        {
            if (_state == State.Data)
            {
                var lf = data[i..].IndexOf(Lf);
                if (lf < 0)
                {
                    i = data.Length;
                    break;
                }

                i += lf + 1;
                lineStart = i;
                _state = State.LineStart;
                continue;
            }

            var b = data[i];
            switch (_state)
            {
                case State.LineStart:
                    _candidate = (b | 0x20) switch
                    {
                        'e' => LineCommand.Exit,
                        's' => LineCommand.Stop,
                        _ => LineCommand.None,
                    };
                    if (_candidate == LineCommand.None)
                    {
                        _state = b == Lf ? State.LineStart : State.Data;
                        lineStart = b == Lf ? i + 1 : lineStart;
                    }
                    else
                    {
                        _matched = 1;
                        _state = State.Matching;
                    }

                    break;
                case State.Matching:
                    var word = _candidate == LineCommand.Exit ? "exit"u8 : "stop"u8;
                    if ((b | 0x20) == word[_matched])
                    {
                        _matched++;
                        if (_matched == word.Length)
                        {
                            _state = State.MatchedWord;
                        }
                    }
                    else
                    {
                        _state = b == Lf ? State.LineStart : State.Data;
                        lineStart = b == Lf ? i + 1 : lineStart;
                    }

                    break;
                case State.MatchedWord or State.MatchedCr:
                    if (b == Lf)
                    {
                        if (_candidate == LineCommand.Stop && !_stopIsCommand)
                        {
                            refused = true;
                        }
                        else
                        {
                            var command = _candidate;
                            Reset();
                            return new LineScan(echoStart, MaxPending + lineStart, command, refused);
                        }

                        _state = State.LineStart;
                        lineStart = i + 1;
                    }
                    else if (b == Cr && _state == State.MatchedWord)
                    {
                        _state = State.MatchedCr;
                    }
                    else
                    {
                        _state = State.Data;
                    }

                    break;
            }

            i++;
        }

        // Whatever of the last line could still become a command stays behind.
        var hold = _state is State.Matching or State.MatchedWord or State.MatchedCr ? data.Length - lineStart : 0;
        _pendingCount = 0;
        _pending = 0;
        if (hold > 0)
        {
            var from = buffer.Slice(MaxPending + lineStart, hold);
            for (var k = 0; k < hold; k++)
            {
                _pending |= (ulong)from[k] << (8 * k);
            }

            _pendingCount = hold;
        }

        return new LineScan(echoStart, MaxPending + data.Length - hold, LineCommand.None, refused);
    }

    /// <summary>At the end of the stream: the held-back bytes, which can no longer become a command, to echo.</summary>
    public int Flush(Span<byte> destination)
    {
        var count = _pendingCount;
        WritePending(destination[..count]);
        Reset();
        return count;
    }

    private readonly void WritePending(Span<byte> destination)
    {
        for (var k = 0; k < destination.Length; k++)
        {
            destination[k] = (byte)(_pending >> (8 * k));
        }
    }

    private void Reset()
    {
        _state = State.LineStart;
        _pending = 0;
        _pendingCount = 0;
        _matched = 0;
    }
}
