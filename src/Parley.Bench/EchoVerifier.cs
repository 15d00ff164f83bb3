using System.Buffers.Binary;
using Parley.Framing;

namespace Parley.Bench;

/// <summary>
/// Checks a connection's echoed byte stream against the stream it sent, byte by byte and in order: counts received
/// bytes that differ from the byte sent at the same offset, and remembers where the first difference was.
/// </summary>
internal sealed class EchoVerifier(BenchMessages expected)
{
    private ReadOnlyMemory<byte> _current;
    private int _position;

    /// <summary>Bytes checked so far.</summary>
    public long Checked { get; private set; }

    /// <summary>Bytes that differed.</summary>
    public long Mismatched { get; private set; }

    /// <summary>The stream offset of the first differing byte, or -1.</summary>
    public long FirstMismatchAt { get; private set; } = -1;

    /// <summary>Whole messages received so far.</summary>
    public long Messages { get; private set; }

    /// <summary>Checks the next bytes of the echo.</summary>
    public void Check(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty)
        {
            if (_position == _current.Length)
            {
                if (_current.Length > 0)
                {
                    Messages++;
                }

                _current = expected.Next();
                _position = 0;
            }

            var n = Math.Min(received.Length, _current.Length - _position);
            var want = _current.Span.Slice(_position, n);
            var got = received[..n];
            if (!got.SequenceEqual(want))
            {
                CountDifferences(got, want);
            }

            _position += n;
            Checked += n;
            received = received[n..];
        }

        if (_position == _current.Length && _current.Length > 0)
        {
            Messages++;
            _current = default;
            _position = 0;
        }
    }

    /// <summary>
    /// Checks the next frame of a length-framed echo, as the bytes it came in: a header declaring the payload's length,
    /// then the payload.
    /// </summary>
    public void CheckFrame(ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[LengthPrefixCodec.HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        Check(header);
        Check(payload);
    }

    private void CountDifferences(ReadOnlySpan<byte> got, ReadOnlySpan<byte> want)
    {
        for (var i = 0; i < got.Length; i++)
        {
            if (got[i] != want[i])
            {
                if (FirstMismatchAt < 0)
                {
                    FirstMismatchAt = Checked + i;
                }

                Mismatched++;
            }
        }
    }
}
