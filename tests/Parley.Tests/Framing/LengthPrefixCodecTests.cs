using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Parley.Framing;

namespace Parley.Tests.Framing;

public sealed class LengthPrefixCodecTests
{
    private const int SmallMax = 64;

    [Fact]
    public void Frames_built_by_hand_decode()
    {
        byte[] wire = [0, 0, 0, 2, (byte)'h', (byte)'i', 0, 0, 0, 12, 0xd0, 0x9f, 0xd1, 0x80, 0xd0, 0xb8, 0xd0, 0xb2, 0xd0, 0xb5, 0xd1, 0x82, 0, 0, 0, 0];
        var input = new ReadOnlySequence<byte>(wire);

        var messages = new List<string?>();
        while (LengthPrefixCodec.TryReadMessage(ref input, LengthPrefixCodec.DefaultMaxMessageBytes, out var message))
        {
            messages.Add(message);
        }

        Assert.Equal(["hi", "Привет", ""], messages);
        Assert.True(input.IsEmpty);
    }

    [Fact]
    public void The_codec_writes_exactly_the_documented_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();

        LengthPrefixCodec.WriteMessage(writer, "hi");
        LengthPrefixCodec.WriteMessage(writer, "Привет");
        LengthPrefixCodec.WriteMessage(writer, "");
        LengthPrefixCodec.WriteMessage(writer, "😀");

        byte[] expected = [0, 0, 0, 2, 0x68, 0x69, 0, 0, 0, 12, 0xd0, 0x9f, 0xd1, 0x80, 0xd0, 0xb8, 0xd0, 0xb2, 0xd0, 0xb5, 0xd1, 0x82,
            0, 0, 0, 0, 0, 0, 0, 4, 0xf0, 0x9f, 0x98, 0x80];
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_length_is_big_endian_across_all_four_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();

        LengthPrefixCodec.WriteMessage(writer, new string('a', 0x010203), maxMessageBytes: 0x010203);

        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0x03 }, writer.WrittenSpan[..4].ToArray());
    }

    [Fact]
    public void An_incomplete_frame_is_left_in_place()
    {
        var input = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 5, (byte)'a', (byte)'b' });

        Assert.False(LengthPrefixCodec.TryReadMessage(ref input, SmallMax, out _));
        Assert.Equal(6, input.Length);
    }

    [Fact]
    public void A_length_over_the_maximum_is_rejected_as_soon_as_the_header_arrives()
    {
        var input = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, SmallMax + 1 });

        var e = Assert.Throws<MessageProtocolException>(() => LengthPrefixCodec.TryReadMessage(ref input, SmallMax, out _));

        Assert.Equal(MessageProtocolError.MessageTooLarge, e.Error);
        Assert.Equal(SmallMax + 1, e.DeclaredLength);
        Assert.Equal($"message too large: the header declares {SmallMax + 1} bytes, the limit is {SmallMax}", e.Message);
    }

    [Fact]
    public void A_message_at_exactly_the_maximum_is_accepted()
    {
        var writer = new ArrayBufferWriter<byte>();
        LengthPrefixCodec.WriteMessage(writer, new string('x', SmallMax), SmallMax);
        var input = new ReadOnlySequence<byte>(writer.WrittenMemory);

        Assert.True(LengthPrefixCodec.TryReadMessage(ref input, SmallMax, out var message));
        Assert.Equal(SmallMax, message!.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xc3 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    [InlineData(new byte[] { 0xc0, 0xaf })]
    [InlineData(new byte[] { (byte)'a', 0x80, (byte)'b' })]
    public void A_payload_that_is_not_UTF8_is_a_protocol_error(byte[] payload)
    {
        var input = new ReadOnlySequence<byte>([0, 0, 0, (byte)payload.Length, .. payload]);

        var e = Assert.Throws<MessageProtocolException>(() => LengthPrefixCodec.TryReadMessage(ref input, SmallMax, out _));

        Assert.Equal(MessageProtocolError.InvalidUtf8, e.Error);
        Assert.Equal(payload.Length, e.DeclaredLength);
    }

    [Fact]
    public void Invalid_UTF8_split_across_segments_is_caught_by_validation_too()
    {
        var payload = Segments([[(byte)'a', 0xe2], [0x82], [(byte)'x']]);

        Assert.Throws<MessageProtocolException>(() => LengthPrefixCodec.Validate(payload));
        LengthPrefixCodec.Validate(Segments([[(byte)'a', 0xe2], [0x82], [0xac]]));
    }

    [Theory]
    [InlineData(new byte[] { 0 }, MessageProtocolError.TruncatedHeader, "stream ended inside a message header: 1 of 4 header bytes received")]
    [InlineData(new byte[] { 0, 0, 0 }, MessageProtocolError.TruncatedHeader, "stream ended inside a message header: 3 of 4 header bytes received")]
    [InlineData(new byte[] { 0, 0, 0, 9, (byte)'a' }, MessageProtocolError.TruncatedPayload, "stream ended inside a message: 1 of 9 declared bytes received")]
    public void The_stream_ending_inside_a_message_is_a_protocol_error(byte[] rest, MessageProtocolError expected, string text)
    {
        var e = Assert.Throws<MessageProtocolException>(() => LengthPrefixCodec.ThrowIfIncomplete(new ReadOnlySequence<byte>(rest)));

        Assert.Equal(expected, e.Error);
        Assert.Equal(text, e.Message);
    }

    [Fact]
    public void The_stream_ending_between_messages_is_an_orderly_close() =>
        LengthPrefixCodec.ThrowIfIncomplete(ReadOnlySequence<byte>.Empty);

    [Fact]
    public void A_lone_surrogate_cannot_be_sent()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => LengthPrefixCodec.WriteMessage(writer, "a\ud800b"));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void A_message_over_the_maximum_cannot_be_sent()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentOutOfRangeException>(() => LengthPrefixCodec.WriteMessage(writer, new string('é', 33), SmallMax));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Property(Arbitrary = [typeof(Texts)], MaxTest = 300)]
    public void Any_messages_survive_encode_then_decode_delivered_one_byte_at_a_time(string[] messages) =>
        Assert.Equal(messages, DecodeAll(Encode(messages), [1]));

    [Property(Arbitrary = [typeof(Texts)], MaxTest = 300)]
    public void Any_messages_survive_encode_then_decode_delivered_all_at_once(string[] messages)
    {
        var wire = Encode(messages);
        Assert.Equal(messages, DecodeAll(wire, [Math.Max(1, wire.Length)]));
    }

    [Property(Arbitrary = [typeof(Texts)], MaxTest = 300)]
    public void Any_messages_survive_encode_then_decode_delivered_in_random_splits(string[] messages, PositiveInt[] splits) =>
        Assert.Equal(messages, DecodeAll(Encode(messages), splits.Select(s => s.Get % 97 + 1).DefaultIfEmpty(7).ToArray()));

    /// <summary>Encodes with the codec.</summary>
    private static byte[] Encode(string[] messages)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            LengthPrefixCodec.WriteMessage(writer, message, Texts.Max);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Delivers <paramref name="wire"/> in pieces of the given sizes (cycled), as a reader would see it arriving, and
    /// decodes every message as soon as it is whole.
    /// </summary>
    private static List<string> DecodeAll(byte[] wire, int[] sizes)
    {
        var decoded = new List<string>();
        var pending = new List<byte[]>();
        var offset = 0;
        var turn = 0;
        while (offset < wire.Length)
        {
            var size = Math.Min(sizes[turn++ % sizes.Length], wire.Length - offset);
            pending.Add(wire[offset..(offset + size)]);
            offset += size;
            var input = Segments(pending.ToArray());
            while (LengthPrefixCodec.TryReadMessage(ref input, Texts.Max, out var message))
            {
                decoded.Add(message!);
            }

            pending = input.IsEmpty ? [] : [input.ToArray()];
        }

        Assert.Empty(pending);
        return decoded;
    }

    /// <summary>A sequence made of several segments, as pipes deliver data.</summary>
    internal static ReadOnlySequence<byte> Segments(byte[][] parts)
    {
        parts = parts.Where(p => p.Length > 0).ToArray();
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>
    /// Valid texts: ASCII, Cyrillic, non-BMP characters, empty strings, and strings at exactly the maximum size.
    /// </summary>
    public static class Texts
    {
        public const int Max = 300;

        private static readonly Gen<string> Piece = Gen.Elements("", "a", "hello", "Привет", "😀", "𝄞", "\0", "\r\n", "é", "日本");

        public static Arbitrary<string[]> Messages() =>
            Gen.OneOf(
                    Gen.ListOf(Piece).Select(p => string.Concat(p)).Where(s => Encoding.UTF8.GetByteCount(s) <= Max),
                    Gen.Constant(new string('m', Max)),
                    Gen.Constant(string.Concat(Enumerable.Repeat("😀", Max / 4))),
                    Gen.Constant(""))
                .ArrayOf()
                .ToArbitrary();
    }
}
