using System.Buffers;
using System.Buffers.Binary;

namespace Parley.Framing;

/// <summary>
/// The one receive buffer for length-prefixed frames, behind <see cref="MessageSocket"/>, <see cref="MessageStream"/>
/// and the framed echo server: the caller reads bytes into <see cref="TryGetReadBuffer"/> and takes whole frames off
/// the front with <see cref="TryReadFrame"/> (the <see cref="LengthPrefixCodec"/>, which refuses a length over the
/// maximum as soon as the header arrives). The buffer grows by the header: while the frame it holds declares more
/// than fits and less than one read of room is left, it doubles, never straight to the declared size, so a header
/// that lies costs its sender what it actually sent; what it grows to is reserved from a shared
/// <see cref="FrameBudget"/> when there is one. Idle, it holds nothing (<see cref="Release"/>).
/// </summary>
internal sealed class FrameReader(int maxMessageBytes, int readSize = FrameReader.DefaultReadSize, FrameBudget? budget = null) : IDisposable
{
    /// <summary>The room a read gets at least, and the size of a new buffer.</summary>
    public const int DefaultReadSize = 4096;

    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private int _reserved; // bytes of the budget held: the length of a buffer grown past the read size

    /// <summary>The room a read gets at least, and the size of a new buffer; a change applies from the next read on.</summary>
    public int ReadSize { get; set; } = readSize;

    /// <summary>The largest payload accepted, in bytes; a change applies from the next header on.</summary>
    public int MaxMessageBytes { get; set; } = maxMessageBytes;

    /// <summary>Bytes received and not yet taken: the start of a frame still arriving.</summary>
    public int Buffered => _end - _start;

    /// <summary>Where the next frame starts in the buffer; with <see cref="Slice"/>, what was taken since.</summary>
    public int Offset => _start;

    /// <summary>The budget this reader holds now, in bytes.</summary>
    public int Reserved => _reserved;

    /// <summary>The payload length the buffered header declares; 0 before a whole header has arrived.</summary>
    public long DeclaredLength => Buffered >= LengthPrefixCodec.HeaderLength
        ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start))
        : 0;

    /// <summary>
    /// Room for the next read, after making it: moving the frame still arriving to the front, or growing the buffer
    /// for it (see the type). Returns <see langword="false"/>, changing nothing, when the budget cannot cover the
    /// growth; <paramref name="refused"/> is then how many bytes it was asked for.
    /// </summary>
    public bool TryGetReadBuffer(out Memory<byte> room, out int refused)
    {
        refused = 0;
        var buffered = Buffered;
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        }

        // The codec has already refused any length over the maximum, so this fits in a long without overflow worries.
        var needed = LengthPrefixCodec.HeaderLength + DeclaredLength;
        if (needed > _buffer.Length && _buffer.Length - buffered < ReadSize)
        {
            var size = (int)Math.Min(needed, Math.Max(_buffer.Length * 2L, buffered + (long)ReadSize));
            var larger = ArrayPool<byte>.Shared.Rent(size);
            if (budget is not null && !budget.TryReserve(larger.Length - _reserved))
            {
                refused = larger.Length - _reserved;
                ArrayPool<byte>.Shared.Return(larger);
                room = default;
                return false;
            }

            _buffer.AsSpan(_start, buffered).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            _reserved = budget is null ? 0 : larger.Length;
            _start = 0;
            _end = buffered;
        }
        else if (_start > 0 && _buffer.Length - _end < ReadSize)
        {
            // What is left of the buffer would make a short read: move the frame still arriving to the front. It is
            // less than one frame, and each byte moves at most once, so reads of small frames stay a full size.
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            _start = 0;
            _end = buffered;
        }

        room = _buffer.AsMemory(_end);
        return true;
    }

    /// <summary>Counts <paramref name="received"/> bytes read into the room <see cref="TryGetReadBuffer"/> gave.</summary>
    public void Advance(int received) => _end += received;

    /// <summary>
    /// Takes the next whole frame off the front; <paramref name="payload"/> stays valid until the next
    /// <see cref="TryGetReadBuffer"/> or <see cref="Release"/>.
    /// </summary>
    /// <exception cref="MessageProtocolException">The header declares more than <see cref="MaxMessageBytes"/>.</exception>
    public bool TryReadFrame(out ReadOnlySequence<byte> payload)
    {
        var input = Unread;
        try
        {
            return LengthPrefixCodec.TryReadFrame(ref input, MaxMessageBytes, out payload);
        }
        finally
        {
            MoveFrontTo(input);
        }
    }

    /// <summary>
    /// Takes the next whole message off the front and decodes it: the same step as the pipe front end
    /// (<see cref="LengthPrefixCodec.TryReadMessage"/>), here over this reader's buffer.
    /// </summary>
    /// <exception cref="MessageProtocolException">The message is too large or not valid UTF-8.</exception>
    public bool TryReadMessage(out string? message)
    {
        var input = Unread;
        try
        {
            return LengthPrefixCodec.TryReadMessage(ref input, MaxMessageBytes, out message);
        }
        finally
        {
            // A frame that is not UTF-8 is taken all the same: the codec had moved past it before decoding.
            MoveFrontTo(input);
        }
    }

    /// <summary>The bytes from <paramref name="offset"/> (an earlier <see cref="Offset"/>) on, as received.</summary>
    public ReadOnlyMemory<byte> Slice(int offset, int length) => _buffer.AsMemory(offset, length);

    /// <summary>Call when the peer has ended the stream: anything still buffered is a frame cut short.</summary>
    /// <exception cref="MessageProtocolException">The stream ended inside a frame.</exception>
    public void ThrowIfIncomplete() => LengthPrefixCodec.ThrowIfIncomplete(Unread, MaxMessageBytes);

    private ReadOnlySequence<byte> Unread => new(_buffer, _start, Buffered);

    /// <summary>Moves the front to <paramref name="rest"/>: what the codec left after the frames it took.</summary>
    private void MoveFrontTo(in ReadOnlySequence<byte> rest) => _start = _end - (int)rest.Length;

    /// <summary>Gives the buffer back to the pool and the budget, with whatever it still held.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = [];
        _start = 0;
        _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (_reserved > 0)
        {
            budget!.Release(_reserved);
            _reserved = 0;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Release();
}
