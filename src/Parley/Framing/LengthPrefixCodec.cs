using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Parley.Framing;

/// <summary>
/// The one length-prefix codec: a message is a 4-byte unsigned big-endian length N, then N bytes of UTF-8 text.
/// It works on <see cref="ReadOnlySequence{T}"/> and <see cref="IBufferWriter{T}"/> and knows nothing of sockets;
/// <see cref="MessageSocket"/>, <see cref="MessageStream"/> and <see cref="MessagePipeExtensions"/> are thin
/// adapters over it. See docs/protocol.md.
/// </summary>
public static class LengthPrefixCodec
{
    /// <summary>Length of the header in bytes.</summary>
    public const int HeaderLength = 4;

    /// <summary>The default maximum payload length, 1 MiB.</summary>
    public const int DefaultMaxMessageBytes = 1024 * 1024;

    // Strict both ways: invalid UTF-8 in and lone surrogates out are errors, never silently replaced.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="input"/>: on success <paramref name="payload"/> is its
    /// payload (not yet checked to be UTF-8) and <paramref name="input"/> is what follows. Returns
    /// <see langword="false"/> and leaves <paramref name="input"/> alone when the frame has not fully arrived.
    /// </summary>
    /// <exception cref="MessageProtocolException">The header declares more than <paramref name="maxMessageBytes"/>;
    /// thrown as soon as the header arrives, before anything is allocated for the payload.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> input, int maxMessageBytes, out ReadOnlySequence<byte> payload)
    {
        if (input.Length < HeaderLength)
        {
            payload = default;
            return false;
        }

        var length = ReadLength(input);
        if (length > (uint)maxMessageBytes)
        {
            throw new MessageProtocolException(MessageProtocolError.MessageTooLarge, length, input.Length - HeaderLength, maxMessageBytes);
        }

        if (input.Length - HeaderLength < length)
        {
            payload = default;
            return false;
        }

        payload = input.Slice(HeaderLength, length);
        input = input.Slice(payload.End);
        return true;
    }

    /// <summary>
    /// Takes one whole message off the front of <paramref name="input"/> and decodes it; see <see cref="TryReadFrame"/>.
    /// </summary>
    /// <exception cref="MessageProtocolException">The message is too large or not valid UTF-8.</exception>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> input, int maxMessageBytes, out string? message)
    {
        if (!TryReadFrame(ref input, maxMessageBytes, out var payload))
        {
            message = null;
            return false;
        }

        message = Decode(payload, maxMessageBytes);
        return true;
    }

    /// <summary>Decodes a frame's payload as strict UTF-8.</summary>
    /// <exception cref="MessageProtocolException">The payload is not valid UTF-8.</exception>
    public static string Decode(in ReadOnlySequence<byte> payload, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        try
        {
            if (payload.IsSingleSegment)
            {
                return Strict.GetString(payload.FirstSpan);
            }

            // Across segments: one pooled copy instead of a Decoder object per message.
            var length = (int)payload.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                payload.CopyTo(rented);
                return Strict.GetString(rented, 0, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (DecoderFallbackException)
        {
            throw new MessageProtocolException(MessageProtocolError.InvalidUtf8, payload.Length, payload.Length, maxMessageBytes);
        }
    }

    /// <summary>Checks that a frame's payload is valid UTF-8 without decoding it.</summary>
    /// <exception cref="MessageProtocolException">It is not.</exception>
    public static void Validate(in ReadOnlySequence<byte> payload, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        var valid = payload.IsSingleSegment ? Utf8.IsValid(payload.FirstSpan) : IsValidMultiSegment(payload);
        if (!valid)
        {
            throw new MessageProtocolException(MessageProtocolError.InvalidUtf8, payload.Length, payload.Length, maxMessageBytes);
        }
    }

    /// <summary>
    /// Call when the stream has ended with <paramref name="remaining"/> unread: nothing left is an orderly close;
    /// anything left is a truncated header or payload.
    /// </summary>
    /// <exception cref="MessageProtocolException">The stream ended inside a message.</exception>
    public static void ThrowIfIncomplete(in ReadOnlySequence<byte> remaining, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        if (remaining.IsEmpty)
        {
            return;
        }

        if (remaining.Length < HeaderLength)
        {
            throw new MessageProtocolException(MessageProtocolError.TruncatedHeader, null, remaining.Length, maxMessageBytes);
        }

        var length = ReadLength(remaining);
        throw new MessageProtocolException(MessageProtocolError.TruncatedPayload, length, remaining.Length - HeaderLength, maxMessageBytes);
    }

    /// <summary>Writes <paramref name="message"/> as one frame.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate, so it has no UTF-8 form.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The encoded text is longer than <paramref name="maxMessageBytes"/>.</exception>
    public static void WriteMessage(IBufferWriter<byte> writer, ReadOnlySpan<char> message, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length;
        try
        {
            length = Strict.GetByteCount(message);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The message holds a lone surrogate and has no UTF-8 form.", nameof(message), e);
        }

        if (length > maxMessageBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(message), length,
                $"The message is {length} bytes of UTF-8, over the limit of {maxMessageBytes}.");
        }

        var span = writer.GetSpan(HeaderLength + length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        Strict.GetBytes(message, span[HeaderLength..]);
        writer.Advance(HeaderLength + length);
    }

    /// <summary>Writes a frame around an already encoded payload (for echoing a frame unchanged).</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, in ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = (int)payload.Length;
        var span = writer.GetSpan(HeaderLength + length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        payload.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + length);
    }

    /// <summary>The number of bytes <paramref name="message"/> takes on the wire, header included.</summary>
    public static int FrameLength(ReadOnlySpan<char> message) => HeaderLength + Strict.GetByteCount(message);

    private static uint ReadLength(in ReadOnlySequence<byte> input)
    {
        var first = input.FirstSpan;
        if (first.Length >= HeaderLength)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(first);
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        input.Slice(0, HeaderLength).CopyTo(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header);
    }

    private static bool IsValidMultiSegment(in ReadOnlySequence<byte> payload)
    {
        // A code point may straddle segments: check one pooled contiguous copy.
        var length = (int)payload.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Utf8.IsValid(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
