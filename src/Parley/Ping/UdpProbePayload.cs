using System.Buffers.Binary;

namespace Parley.Ping;

/// <summary>
/// The datagram of a UDP ping probe, which is also the reply expected back from an RFC 862 echo: the magic
/// <c>PRLY</c>, the run id (8 bytes), the sequence number (4 bytes) and the send timestamp (8 bytes), big-endian,
/// then filler of every byte value in turn, so that a path that is not 8-bit clean shows up as a corrupted reply.
/// The whole datagram follows from run id, sequence number and timestamp, so a reply is checked byte for byte.
/// </summary>
internal static class UdpProbePayload
{
    public const int HeaderLength = 24;

    private const uint Magic = 0x50524C59; // "PRLY"

    /// <summary>Writes probe <paramref name="sequence"/> of run <paramref name="runId"/> into all of <paramref name="datagram"/>.</summary>
    public static void Write(Span<byte> datagram, long runId, int sequence, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(datagram.Length, HeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(datagram, Magic);
        BinaryPrimitives.WriteInt64BigEndian(datagram[4..], runId);
        BinaryPrimitives.WriteInt32BigEndian(datagram[12..], sequence);
        BinaryPrimitives.WriteInt64BigEndian(datagram[16..], timestamp);
        for (var i = HeaderLength; i < datagram.Length; i++)
        {
            datagram[i] = Filler(sequence, i);
        }
    }

    /// <summary>Reads the header; false when the datagram is too short or lacks the magic (not a Parley probe).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out long runId, out int sequence, out long timestamp)
    {
        runId = 0;
        sequence = 0;
        timestamp = 0;
        if (datagram.Length < HeaderLength || BinaryPrimitives.ReadUInt32BigEndian(datagram) != Magic)
        {
            return false;
        }

        runId = BinaryPrimitives.ReadInt64BigEndian(datagram[4..]);
        sequence = BinaryPrimitives.ReadInt32BigEndian(datagram[12..]);
        timestamp = BinaryPrimitives.ReadInt64BigEndian(datagram[16..]);
        return true;
    }

    /// <summary>
    /// Where <paramref name="datagram"/> first differs from probe <paramref name="sequence"/> of <paramref name="size"/>
    /// bytes sent at <paramref name="timestamp"/> (header already matched for the run id and sequence): -1 when it
    /// is the very same, its length when it is only shorter or longer.
    /// </summary>
    public static int FirstDifference(ReadOnlySpan<byte> datagram, int sequence, long timestamp, int size)
    {
        if (BinaryPrimitives.ReadInt64BigEndian(datagram[16..]) != timestamp)
        {
            return 16;
        }

        var end = Math.Min(datagram.Length, size);
        for (var i = HeaderLength; i < end; i++)
        {
            if (datagram[i] != Filler(sequence, i))
            {
                return i;
            }
        }

        return datagram.Length == size ? -1 : end;
    }

    private static byte Filler(int sequence, int index) => (byte)(sequence + index);
}
