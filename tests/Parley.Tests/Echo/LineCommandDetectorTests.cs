using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Parley.Echo;

namespace Parley.Tests.Echo;

public sealed class LineCommandDetectorTests
{
    [Theory]
    [InlineData("exit\n", LineCommand.Exit)]
    [InlineData("stop\n", LineCommand.Stop)]
    [InlineData("EXIT\n", LineCommand.Exit)]
    [InlineData("ExIt\r\n", LineCommand.Exit)]
    [InlineData("sToP\r\n", LineCommand.Stop)]
    public void A_command_line_is_detected_and_not_echoed(string input, LineCommand expected)
    {
        var (echo, command, _) = Run(Encoding.ASCII.GetBytes(input), [input.Length]);

        Assert.Equal(expected, command);
        Assert.Empty(echo);
    }

    [Theory]
    [InlineData("exited\n")]
    [InlineData("stopping\n")]
    [InlineData("exi\n")]
    [InlineData("sto\n")]
    [InlineData(" exit\n")]
    [InlineData("exit \n")]
    [InlineData("exit\r\r\n")]
    [InlineData("exit\rX\n")]
    [InlineData("e\nxit\n")]
    [InlineData("\rexit\n")]
    [InlineData("exit")]
    [InlineData("stop\r")]
    [InlineData("éxit\n")]
    public void Lines_that_only_look_like_commands_are_echoed_unchanged(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        foreach (var split in EverySplit(bytes.Length))
        {
            var (echo, command, _) = Run(bytes, split);

            Assert.Equal(LineCommand.None, command);
            Assert.Equal(bytes, echo);
        }
    }

    [Theory]
    [InlineData("hello\nexit\n", "hello\n", LineCommand.Exit)]
    [InlineData("a\r\nb\nstop\r\nafter\n", "a\r\nb\n", LineCommand.Stop)]
    [InlineData("exitnot\nexit\n", "exitnot\n", LineCommand.Exit)]
    [InlineData("\n\nexit\n", "\n\n", LineCommand.Exit)]
    public void A_command_split_across_reads_at_every_byte_is_detected(string input, string expectedEcho, LineCommand expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        foreach (var split in EverySplit(bytes.Length))
        {
            var (echo, command, _) = Run(bytes, split);

            Assert.Equal(expected, command);
            Assert.Equal(expectedEcho, Encoding.ASCII.GetString(echo));
        }
    }

    [Fact]
    public void A_command_one_byte_per_read_is_detected()
    {
        var bytes = "data\nexit\n"u8.ToArray();

        var (echo, command, _) = Run(bytes, Enumerable.Repeat(1, bytes.Length).ToArray());

        Assert.Equal(LineCommand.Exit, command);
        Assert.Equal("data\n"u8.ToArray(), echo);
    }

    [Fact]
    public void A_command_after_a_long_line_is_detected()
    {
        var longLine = new string('x', 100_000) + "\n";
        var bytes = Encoding.ASCII.GetBytes(longLine + "stop\n");

        var (echo, command, _) = Run(bytes, Chunks(bytes.Length, 1024));

        Assert.Equal(LineCommand.Stop, command);
        Assert.Equal(Encoding.ASCII.GetBytes(longLine), echo);
    }

    [Fact]
    public void A_refused_stop_is_echoed_as_data_and_reported()
    {
        var bytes = "stop\nstop\r\nmore\n"u8.ToArray();

        var (echo, command, refused) = Run(bytes, [2, 5, bytes.Length - 7], stopIsCommand: false);

        Assert.Equal(LineCommand.None, command);
        Assert.True(refused);
        Assert.Equal(bytes, echo);
    }

    [Fact]
    public void Held_bytes_are_released_in_front_of_the_next_read_in_order()
    {
        var bytes = "ab\nex"u8.ToArray().Concat("t\nst"u8.ToArray()).Concat("x\n"u8.ToArray()).ToArray();

        var (echo, command, _) = Run(bytes, [5, 4, 2]);

        Assert.Equal(LineCommand.None, command);
        Assert.Equal(bytes, echo);
    }

    [Property(Arbitrary = [typeof(CommandStreams)], MaxTest = 500)]
    public void Any_stream_in_any_split_echoes_exactly_what_a_line_by_line_reading_says(CommandStream stream)
    {
        var expected = Model(stream.Bytes, stream.StopIsCommand);

        var actual = Run(stream.Bytes, stream.Splits, stream.StopIsCommand);

        Assert.Equal(expected.Command, actual.Command);
        Assert.Equal(expected.Echo, actual.Echo);
    }

    /// <summary>The reference: split into lines, the first whole line that is a command ends the echo before it.</summary>
    private static (byte[] Echo, LineCommand Command) Model(byte[] input, bool stopIsCommand)
    {
        var lineStart = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '\n')
            {
                continue;
            }

            var line = Encoding.Latin1.GetString(input, lineStart, i - lineStart);
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            if (line.Equals("exit", StringComparison.OrdinalIgnoreCase))
            {
                return (input[..lineStart], LineCommand.Exit);
            }

            if (stopIsCommand && line.Equals("stop", StringComparison.OrdinalIgnoreCase))
            {
                return (input[..lineStart], LineCommand.Stop);
            }

            lineStart = i + 1;
        }

        return (input, LineCommand.None);
    }

    internal static (byte[] Echo, LineCommand Command, bool Refused) Run(byte[] input, int[] splits, bool stopIsCommand = true)
    {
        var detector = new LineCommandDetector(stopIsCommand);
        var echo = new List<byte>();
        var refused = false;
        var offset = 0;
        foreach (var size in splits)
        {
            var buffer = new byte[LineCommandDetector.MaxPending + size];
            input.AsSpan(offset, size).CopyTo(buffer.AsSpan(LineCommandDetector.MaxPending));
            offset += size;
            var scan = detector.Scan(buffer, size);
            echo.AddRange(buffer[scan.EchoStart..scan.EchoEnd]);
            refused |= scan.StopRefused;
            if (scan.Command != LineCommand.None)
            {
                return (echo.ToArray(), scan.Command, refused);
            }
        }

        var tail = new byte[LineCommandDetector.MaxPending];
        echo.AddRange(tail[..detector.Flush(tail)]);
        return (echo.ToArray(), LineCommand.None, refused);
    }

    private static IEnumerable<int[]> EverySplit(int length)
    {
        yield return [length];
        for (var a = 1; a < length; a++)
        {
            yield return [a, length - a];
            for (var b = a + 1; b < length; b++)
            {
                yield return [a, b - a, length - b];
            }
        }
    }

    private static int[] Chunks(int length, int size) =>
        Enumerable.Range(0, (length + size - 1) / size).Select(i => Math.Min(size, length - i * size)).ToArray();

    public sealed record CommandStream(byte[] Bytes, int[] Splits, bool StopIsCommand)
    {
        public override string ToString() =>
            $"{Encoding.Latin1.GetString(Bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)} split {string.Join(',', Splits)} stop={StopIsCommand}";
    }

    public static class CommandStreams
    {
        // Mostly pieces of the commands, so that whole, partial and near-miss commands all come up often.
        private static readonly Gen<byte[]> Piece = Gen.Elements(
            "exit"u8.ToArray(), "EXIT"u8.ToArray(), "stop"u8.ToArray(), "StOp"u8.ToArray(), "ex"u8.ToArray(), "it"u8.ToArray(),
            "st"u8.ToArray(), "op"u8.ToArray(), "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r"u8.ToArray(), "x"u8.ToArray(),
            "hello"u8.ToArray(), new byte[] { 0, 0xff, 0xc3 });

        public static Arbitrary<CommandStream> Streams() =>
            (from pieces in Gen.ListOf(Piece)
             let bytes = pieces.SelectMany(p => p).ToArray()
             from cuts in Gen.ListOf(Gen.Choose(0, Math.Max(0, bytes.Length)))
             from stop in Gen.Elements(true, false)
             select new CommandStream(bytes, ToSplits(bytes.Length, cuts), stop)).ToArbitrary();

        private static int[] ToSplits(int length, IEnumerable<int> cuts)
        {
            var points = cuts.Where(c => c > 0 && c < length).Distinct().Order().Append(length).ToArray();
            var splits = new List<int>();
            var previous = 0;
            foreach (var point in points)
            {
                if (point > previous)
                {
                    splits.Add(point - previous);
                    previous = point;
                }
            }

            return splits.ToArray();
        }
    }
}
