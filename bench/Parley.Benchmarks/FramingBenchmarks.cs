using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Parley.Framing;

namespace Parley.Benchmarks;

/// <summary>
/// Encode and decode of one message, each against a baseline measured in the same run: the straightforward code most
/// socket tutorials show (a new byte array for the header and another for the payload of every message). The pipe
/// round trip is the servers' hot path end to end (write, flush, read, decode); it should allocate nothing per
/// message beyond the resulting string.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class FramingBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly ArrayBufferWriter<byte> _writer = new(1 << 20);
    private readonly MemoryStream _stream = new();
    private string _message = "";
    private byte[] _frame = [];

    [Params(16, 1024, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = new string('p', Size);
        LengthPrefixCodec.WriteMessage(_writer, _message);
        _frame = _writer.WrittenSpan.ToArray();
    }

    [Benchmark(Baseline = true, Description = "encode: byte[] per message")]
    [BenchmarkCategory("encode")]
    public long EncodeBaseline()
    {
        _stream.Position = 0;
        var payload = Encoding.UTF8.GetBytes(_message);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        _stream.Write(header);
        _stream.Write(payload);
        return _stream.Position;
    }

    [Benchmark(Description = "encode: LengthPrefixCodec")]
    [BenchmarkCategory("encode")]
    public int Encode()
    {
        _writer.ResetWrittenCount();
        LengthPrefixCodec.WriteMessage(_writer, _message);
        return _writer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "decode: byte[] per message")]
    [BenchmarkCategory("decode")]
    public string DecodeBaseline()
    {
        var header = _frame.AsSpan(0, 4).ToArray();
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        _frame.AsSpan(4, payload.Length).CopyTo(payload);
        return Encoding.UTF8.GetString(payload);
    }

    [Benchmark(Description = "decode: LengthPrefixCodec")]
    [BenchmarkCategory("decode")]
    public string? Decode()
    {
        var input = new ReadOnlySequence<byte>(_frame);
        LengthPrefixCodec.TryReadMessage(ref input, LengthPrefixCodec.DefaultMaxMessageBytes, out var message);
        return message;
    }

    [Benchmark(Baseline = true, Description = "round trip: byte[] per message, MemoryStream")]
    [BenchmarkCategory("round trip")]
    public string RoundTripBaseline()
    {
        EncodeBaseline();
        _stream.Position = 0;
        var header = new byte[4];
        _stream.ReadExactly(header);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        _stream.ReadExactly(payload);
        return Encoding.UTF8.GetString(payload);
    }

    [Benchmark(Description = "round trip: Pipe writer + reader")]
    [BenchmarkCategory("round trip")]
    public async ValueTask<string?> PipeRoundTrip()
    {
        await _pipe.Writer.WriteMessageAsync(_message);
        return await _pipe.Reader.ReadMessageAsync();
    }
}
