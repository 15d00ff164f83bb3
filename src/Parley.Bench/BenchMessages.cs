using System.Buffers;
using Parley.Framing;

namespace Parley.Bench;

/// <summary>
/// The messages one connection of the load generator sends, in order, each different from its neighbours and from
/// other connections' messages, so that a server that mixes, repeats, reorders or drops bytes is caught. The text is
/// printable ASCII without the letters e and s, so no line can start like the commands <c>exit</c> and <c>stop</c>
/// and a line server never holds bytes back; framed messages are built with <see cref="LengthPrefixCodec"/>.
/// Two instances for the same connection produce the same sequence: one sends, the other checks.
/// </summary>
internal sealed class BenchMessages
{
    private const int Period = 4093; // a prime, so message starts cycle through every offset
    private static readonly byte[] Text = BuildText();

    private readonly BenchFraming _framing;
    private readonly int _size;
    private readonly int _connection;
    private readonly byte[] _payload;
    private readonly ArrayBufferWriter<byte>? _frame;
    private long _next;

    public BenchMessages(BenchFraming framing, int size, int connection)
    {
        _framing = framing;
        _size = size;
        _connection = connection;
        _payload = new byte[size];
        _frame = framing == BenchFraming.Length ? new ArrayBufferWriter<byte>(LengthPrefixCodec.HeaderLength + size) : null;
        WireLength = WireLengthOf(framing, size);
    }

    /// <summary>Bytes each message takes on the wire.</summary>
    public int WireLength { get; }

    public static int WireLengthOf(BenchFraming framing, int size) =>
        framing == BenchFraming.Length ? LengthPrefixCodec.HeaderLength + size : size;

    /// <summary>The next message as it goes on the wire; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Next()
    {
        var start = (int)((_next * 61 + _connection * 1009L) % Period);
        _next++;
        var text = _framing == BenchFraming.Line ? _payload.AsSpan(0, _size - 1) : _payload.AsSpan();
        for (var i = 0; i < text.Length; i += Period)
        {
            var n = Math.Min(Period, text.Length - i);
            Text.AsSpan(start, n).CopyTo(text[i..]);
        }

        if (_framing == BenchFraming.Line)
        {
            _payload[_size - 1] = (byte)'\n';
            return _payload;
        }

        _frame!.ResetWrittenCount();
        LengthPrefixCodec.WriteFrame(_frame, new ReadOnlySequence<byte>(_payload));
        return _frame.WrittenMemory;
    }

    private static byte[] BuildText()
    {
        // Twice the period, so that any slice of up to one period starting in the first half is contiguous.
        var alphabet = "0123456789ABCDFGHIJKLMNOPQRTUVWXYZabcdfghijklmnopqrtuvwxyz-_.:,;!?+*/=()[]{}<>@#%&~ "u8.ToArray();
        var random = new Random(20240610);
        var text = new byte[2 * Period];
        for (var i = 0; i < Period; i++)
        {
            text[i] = alphabet[random.Next(alphabet.Length)];
        }

        Array.Copy(text, 0, text, Period, Period);
        return text;
    }
}
