using System.Text;
using BenchmarkDotNet.Attributes;
using Parley.Echo;

namespace Parley.Benchmarks;

/// <summary>
/// Finding the command lines <c>exit</c> and <c>stop</c> in one read of line echo, against the baseline most socket
/// tutorials show (decode the read to a string, split it into lines, compare each line), measured in the same run.
/// <see cref="LineCommandDetector"/> scans bytes in place, allocates nothing, and also finds a command split across
/// reads, which the baseline cannot.
/// </summary>
[MemoryDiagnoser]
public class CommandDetectionBenchmarks
{
    private byte[] _buffer = [];

    /// <summary>Bytes in one read (the server's --chunk-size).</summary>
    [Params(1024, 65536)]
    public int ChunkSize { get; set; }

    /// <summary>Length of each line, LF included.</summary>
    [Params(64, 1024)]
    public int LineLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Lines of text that start like commands now and then ("ex...", "st..."), as real chat does.
        _buffer = new byte[LineCommandDetector.MaxPending + ChunkSize];
        var data = _buffer.AsSpan(LineCommandDetector.MaxPending);
        var words = "exited stopped hello echo status session text the quick brown fox "u8.ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (i + 1) % LineLength == 0 ? (byte)'\n' : words[(i % LineLength * 7 + (i / LineLength)) % words.Length];
        }
    }

    [Benchmark(Baseline = true, Description = "string per read, Split, compare each line")]
    public int Baseline()
    {
        var text = Encoding.UTF8.GetString(_buffer, LineCommandDetector.MaxPending, ChunkSize);
        var found = 0;
        foreach (var line in text.Split('\n'))
        {
            var word = line.TrimEnd('\r');
            if (word.Equals("exit", StringComparison.OrdinalIgnoreCase) || word.Equals("stop", StringComparison.OrdinalIgnoreCase))
            {
                found++;
            }
        }

        return found + text.Length;
    }

    [Benchmark(Description = "LineCommandDetector.Scan")]
    public int Detector()
    {
        var detector = new LineCommandDetector(stopIsCommand: true);
        var scan = detector.Scan(_buffer, ChunkSize);
        return scan.EchoLength + (int)scan.Command;
    }
}
