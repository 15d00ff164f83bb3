using System.Buffers;
using System.Globalization;
using Parley.Echo;
using Parley.Framing;

namespace Parley.Ping;

/// <summary>
/// The bytes a probe sends, which are also the bytes it expects back. Each probe's bytes carry its number, so an
/// echo of an earlier probe cannot pass for this one's; none is ever a command line (<c>exit</c>, <c>stop</c>).
/// </summary>
internal static class PingPayload
{
    private const string Filler = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The bytes on the wire for probe <paramref name="sequence"/> of <paramref name="size"/> bytes.</summary>
    public static byte[] Create(int sequence, int size, EchoMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return mode switch
        {
            EchoMode.Raw => Raw(sequence, size),
            EchoMode.Framed => Framed(sequence, size),
            _ => Line(sequence, size),
        };
    }

    /// <summary>Every byte value in turn, so that a path that is not 8-bit clean shows up as a mismatch.</summary>
    private static byte[] Raw(int sequence, int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(sequence + i);
        }

        return bytes;
    }

    /// <summary>One length-prefixed message of <paramref name="size"/> bytes of text, written by the one codec.</summary>
    private static byte[] Framed(int sequence, int size)
    {
        var writer = new ArrayBufferWriter<byte>(LengthPrefixCodec.HeaderLength + size);
        LengthPrefixCodec.WriteFrame(writer, new ReadOnlySequence<byte>(Text(sequence, size)));
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>One line of text, its LF included in <paramref name="size"/>.</summary>
    private static byte[] Line(int sequence, int size)
    {
        var bytes = new byte[size];
        Text(sequence, size - 1).CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary><c>parley ping 7 abcdef...</c>, cut to <paramref name="length"/> ASCII characters.</summary>
    private static byte[] Text(int sequence, int length)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"parley ping {sequence} ");
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i < prefix.Length ? prefix[i] : Filler[(i - prefix.Length) % Filler.Length]);
        }

        return bytes;
    }
}
