using System.Buffers;
using System.Text;
using Parley.Framing;

namespace Parley.Tests.Framing;

public sealed class FrameReaderTests
{
    private static byte[] Wire(params string[] messages)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            LengthPrefixCodec.WriteMessage(writer, message);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Feeds <paramref name="wire"/> in pieces of at most <paramref name="piece"/> bytes and collects the messages.</summary>
    private static List<string> Feed(FrameReader frames, byte[] wire, int piece)
    {
        var messages = new List<string>();
        var at = 0;
        while (true)
        {
            while (frames.TryReadMessage(out var message))
            {
                messages.Add(message!);
            }

            if (at == wire.Length)
            {
                frames.ThrowIfIncomplete();
                return messages;
            }

            Assert.True(frames.TryGetReadBuffer(out var room, out _));
            var n = Math.Min(Math.Min(piece, room.Length), wire.Length - at);
            wire.AsSpan(at, n).CopyTo(room.Span);
            frames.Advance(n);
            at += n;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Messages_fed_in_pieces_of_any_size_come_out_whole_and_in_order(int piece)
    {
        var large = new string('x', 10_000);
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 16);

        var messages = Feed(frames, Wire("hi", "", large, "Привет", "😀"), piece);

        Assert.Equal(["hi", "", large, "Привет", "😀"], messages);
        Assert.Equal(0, frames.Buffered);
    }

    [Fact]
    public void A_message_that_is_not_UTF8_is_refused_and_taken_so_the_next_one_reads()
    {
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 16);
        Assert.True(frames.TryGetReadBuffer(out var room, out _));
        byte[] wire = [0, 0, 0, 2, 0xc3, 0x28, 0, 0, 0, 2, (byte)'o', (byte)'k'];
        wire.CopyTo(room.Span);
        frames.Advance(wire.Length);

        var e = Assert.Throws<MessageProtocolException>(() => frames.TryReadMessage(out _));

        Assert.Equal(MessageProtocolError.InvalidUtf8, e.Error);
        Assert.True(frames.TryReadMessage(out var next));
        Assert.Equal("ok", next);
    }

    [Fact]
    public void Small_frames_never_leave_a_short_read_at_the_end_of_the_buffer()
    {
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 16);
        Assert.True(frames.TryGetReadBuffer(out var room, out _));
        var capacity = room.Length;

        // Two 5-byte frames and the first 3 bytes of a third: 13 bytes read, 10 taken, 3 still arriving.
        byte[] wire = [0, 0, 0, 1, (byte)'a', 0, 0, 0, 1, (byte)'b', 0, 0, 0];
        wire.CopyTo(room.Span);
        frames.Advance(wire.Length);
        Assert.True(frames.TryReadMessage(out _));
        Assert.True(frames.TryReadMessage(out _));

        Assert.True(frames.TryGetReadBuffer(out room, out _));
        Assert.Equal(capacity - 3, room.Length);
        Assert.Equal(0, frames.Offset);
    }

    [Fact]
    public void A_length_over_the_maximum_is_refused_as_soon_as_the_header_arrives()
    {
        using var frames = new FrameReader(maxMessageBytes: 100, readSize: 16);
        Assert.True(frames.TryGetReadBuffer(out var room, out _));
        byte[] header = [0, 0, 0, 101];
        header.CopyTo(room.Span);
        frames.Advance(header.Length);

        var e = Assert.Throws<MessageProtocolException>(() => frames.TryReadFrame(out _));

        Assert.Equal(MessageProtocolError.MessageTooLarge, e.Error);
        Assert.Equal(101, e.DeclaredLength);
    }

    [Fact]
    public void A_header_that_declares_much_and_sends_little_grows_the_buffer_only_by_doubling()
    {
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 64);
        Assert.True(frames.TryGetReadBuffer(out var room, out _));
        var first = room.Length;
        byte[] header = [0, 0x0f, 0, 0]; // 983,040 bytes declared
        header.CopyTo(room.Span);
        frames.Advance(room.Length); // the header and a full read of payload

        Assert.False(frames.TryReadFrame(out _));
        Assert.True(frames.TryGetReadBuffer(out var next, out _));

        Assert.InRange(frames.Buffered + next.Length, first + 1, 2 * first + 64);
    }

    [Fact]
    public void Growth_past_the_shared_budget_is_refused_and_reserves_nothing()
    {
        var budget = new FrameBudget(1000);
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 16, budget);
        var wire = Wire(new string('z', 100_000));
        var at = 0;
        int refused;
        while (frames.TryGetReadBuffer(out var room, out refused))
        {
            var n = Math.Min(room.Length, wire.Length - at);
            wire.AsSpan(at, n).CopyTo(room.Span);
            frames.Advance(n);
            at += n;
            Assert.False(frames.TryReadFrame(out _));
        }

        Assert.True(refused > 0);
        Assert.InRange(budget.InUse, 1, budget.MaxBytes);
        Assert.Equal(budget.InUse, frames.Reserved);
        Assert.True(at < 2 * budget.MaxBytes, $"{at} bytes taken in on a budget of {budget.MaxBytes}");
    }

    [Fact]
    public void Released_it_gives_its_budget_back()
    {
        var budget = new FrameBudget(1 << 20);
        var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes, readSize: 16, budget);
        var wire = Wire(new string('y', 5000));
        var at = 0;
        while (at < wire.Length - 1)
        {
            Assert.True(frames.TryGetReadBuffer(out var room, out _));
            var n = Math.Min(room.Length, wire.Length - 1 - at);
            wire.AsSpan(at, n).CopyTo(room.Span);
            frames.Advance(n);
            at += n;
        }

        Assert.True(budget.InUse > 0);
        frames.Release();

        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, frames.Buffered);
    }

    [Fact]
    public void The_stream_ending_inside_a_frame_is_a_truncated_payload()
    {
        using var frames = new FrameReader(LengthPrefixCodec.DefaultMaxMessageBytes);
        var wire = Encoding.UTF8.GetBytes("....hello");
        wire[3] = 10;
        wire[0] = wire[1] = wire[2] = 0;

        var e = Assert.Throws<MessageProtocolException>(() => Feed(frames, wire, 4));

        Assert.Equal(MessageProtocolError.TruncatedPayload, e.Error);
    }
}
