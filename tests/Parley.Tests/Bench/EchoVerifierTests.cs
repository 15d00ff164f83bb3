using Parley.Bench;

namespace Parley.Tests.Bench;

public sealed class EchoVerifierTests
{
    private const int Size = 10;

    private static EchoVerifier Verifier() => new(new BenchMessages(BenchFraming.Length, Size, connection: 0));

    /// <summary>The payloads the connection sends, in order: what a faithful framed echo gives back.</summary>
    private static byte[][] Payloads(int count)
    {
        var sent = new BenchMessages(BenchFraming.Length, Size, connection: 0);
        return Enumerable.Range(0, count).Select(_ => sent.Next()[4..].ToArray()).ToArray();
    }

    [Fact]
    public void A_faithful_framed_echo_is_checked_header_and_payload_with_no_difference()
    {
        var verifier = Verifier();

        foreach (var payload in Payloads(3))
        {
            verifier.CheckFrame(payload);
        }

        Assert.Equal(3, verifier.Messages);
        Assert.Equal(3 * (4 + Size), verifier.Checked);
        Assert.Equal(0, verifier.Mismatched);
        Assert.Equal(-1, verifier.FirstMismatchAt);
    }

    [Fact]
    public void A_changed_payload_byte_is_counted_at_its_place_in_the_byte_stream()
    {
        var verifier = Verifier();
        var payloads = Payloads(2);
        payloads[1][3] ^= 0x01;

        verifier.CheckFrame(payloads[0]);
        verifier.CheckFrame(payloads[1]);

        Assert.Equal(1, verifier.Mismatched);
        Assert.Equal(4 + Size + 4 + 3, verifier.FirstMismatchAt);
        Assert.Equal(2, verifier.Messages);
    }

    [Fact]
    public void A_frame_shorter_than_the_message_sent_differs_in_its_header()
    {
        var verifier = Verifier();
        var payload = Payloads(1)[0];

        verifier.CheckFrame(payload.AsSpan(0, Size - 1));

        // Byte 3 of the header is the low byte of the length: 9 came back where 10 was sent.
        Assert.Equal(3, verifier.FirstMismatchAt);
        Assert.True(verifier.Mismatched > 0);
    }
}
