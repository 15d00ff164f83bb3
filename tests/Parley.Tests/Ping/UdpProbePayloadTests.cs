using Parley.Ping;

namespace Parley.Tests.Ping;

public sealed class UdpProbePayloadTests
{
    [Theory]
    [InlineData(UdpProbePayload.HeaderLength)]
    [InlineData(64)]
    [InlineData(UdpPingOptions.MaxSize)]
    public void A_probe_reads_back_its_header_and_matches_itself_byte_for_byte(int size)
    {
        var datagram = new byte[size];

        UdpProbePayload.Write(datagram, -42, 7, 123_456_789);

        Assert.True(UdpProbePayload.TryReadHeader(datagram, out var run, out var sequence, out var timestamp));
        Assert.Equal((-42L, 7, 123_456_789L), (run, sequence, timestamp));
        Assert.Equal(-1, UdpProbePayload.FirstDifference(datagram, 7, 123_456_789, size));
        Assert.Equal("PRLY"u8.ToArray(), datagram[..4]);
    }

    [Fact]
    public void The_filler_holds_every_byte_value_so_a_path_that_is_not_8_bit_clean_shows()
    {
        var datagram = new byte[UdpProbePayload.HeaderLength + 256];

        UdpProbePayload.Write(datagram, 1, 1, 1);

        Assert.Equal(256, datagram[UdpProbePayload.HeaderLength..].Distinct().Count());
    }

    [Fact]
    public void Probes_of_another_sequence_number_differ_in_the_filler_too()
    {
        var one = new byte[64];
        var two = new byte[64];
        UdpProbePayload.Write(one, 1, 1, 5);
        UdpProbePayload.Write(two, 1, 2, 5);

        Assert.Equal(UdpProbePayload.HeaderLength, UdpProbePayload.FirstDifference(two, 1, 5, 64));
        Assert.NotEqual(one[UdpProbePayload.HeaderLength..], two[UdpProbePayload.HeaderLength..]);
    }
}
