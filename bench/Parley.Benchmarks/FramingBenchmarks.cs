using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Parley.Framing;

namespace Parley.Benchmarks;

/// <summary>
/// Encode and decode of one message through the pipe path (the servers' hot path), against a baseline measured in
/// the same run: the straightforward implementation most socket tutorials show (a new byte array for the header and
/// for the payload of every message, over a MemoryStream).
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly MemoryStream _stream = new();
    private string _message = "";

    [Params(16, 1024, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => _message = new string('p', Size);

    [Benchmark(Baseline = true, Description = "baseline: byte[] per message over a MemoryStream")]
    public string Baseline()
    {
        _stream.Position = 0;
        var payload = Encoding.UTF8.GetBytes(_message);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        _stream.Write(header);
        _stream.Write(payload);

        _stream.Position = 0;
        var readHeader = new byte[4];
        _stream.ReadExactly(readHeader);
        var readPayload = new byte[BinaryPrimitives.ReadUInt32BigEndian(readHeader)];
        _stream.ReadExactly(readPayload);
        return Encoding.UTF8.GetString(readPayload);
    }

    [Benchmark(Description = "Parley: pipe writer + reader")]
    public async ValueTask<string?> PipeRoundTrip()
    {
        await _pipe.Writer.WriteMessageAsync(_message);
        return await _pipe.Reader.ReadMessageAsync();
    }
}
