using System.Buffers.Binary;
using System.Text;
using Parley.Echo;
using Parley.Ping;

namespace Parley.Tests.Ping;

public sealed class PingPayloadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(32)]
    [InlineData(5000)]
    public void A_line_probe_is_one_line_of_exactly_the_size_and_never_a_command(int size)
    {
        var payload = PingPayload.Create(7, size, EchoMode.Line);

        Assert.Equal(size, payload.Length);
        Assert.Equal((byte)'\n', payload[^1]);
        Assert.Equal(1, payload.Count(b => b == '\n'));
        var line = Encoding.ASCII.GetString(payload).TrimEnd('\n');
        Assert.DoesNotContain(line, new[] { "exit", "stop", "exit\r", "stop\r" }, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Probes_differ_from_one_another()
    {
        Assert.NotEqual(PingPayload.Create(1, 32, EchoMode.Line), PingPayload.Create(2, 32, EchoMode.Line));
        Assert.NotEqual(PingPayload.Create(1, 32, EchoMode.Raw), PingPayload.Create(2, 32, EchoMode.Raw));
    }

    [Fact]
    public void A_raw_probe_of_256_bytes_holds_every_byte_value()
    {
        var payload = PingPayload.Create(3, 256, EchoMode.Raw);

        Assert.Equal(256, payload.Distinct().Count());
    }

    [Fact]
    public void A_framed_probe_is_one_message_whose_header_gives_the_size()
    {
        var payload = PingPayload.Create(4, 100, EchoMode.Framed);

        Assert.Equal(104, payload.Length);
        Assert.Equal(100u, BinaryPrimitives.ReadUInt32BigEndian(payload));
        Assert.StartsWith("parley ping 4 ", Encoding.ASCII.GetString(payload, 4, 100), StringComparison.Ordinal);
    }
}
