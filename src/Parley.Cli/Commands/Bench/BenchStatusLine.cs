using System.Globalization;
using Parley.Bench;

namespace Parley.Cli.Commands.Bench;

/// <summary>
/// The live status of <c>parley bench</c> on standard error, once a second: one line rewritten in place at a terminal,
/// one line per second otherwise (so that logs of scripted runs show the progress too).
/// </summary>
internal sealed class BenchStatusLine(TextWriter error, bool terminal, BenchOptions options)
{
    private int _width;

    public async Task RunAsync(LoadGenerator generator, CancellationToken finished)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = generator.Progress;
        var lastTime = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(finished))
            {
                var now = generator.Progress;
                var seconds = (clock.Elapsed - lastTime).TotalSeconds;
                await WriteAsync(Describe(now, last, seconds));
                last = now;
                lastTime = clock.Elapsed;
            }
        }
        catch (OperationCanceledException) when (finished.IsCancellationRequested)
        {
            // The run is over.
        }

        if (terminal && _width > 0)
        {
            await error.WriteAsync("\r" + new string(' ', _width) + "\r");
            await error.FlushAsync(CancellationToken.None);
        }
    }

    private string Describe(BenchProgress now, BenchProgress last, double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        var phase = now.Phase switch
        {
            BenchPhase.Connecting => "connecting",
            BenchPhase.WarmingUp => "warming up",
            BenchPhase.Measuring when options.Mode == BenchMode.Idle => "holding",
            BenchPhase.Measuring => "measuring",
            BenchPhase.Draining => "draining",
            _ => "done",
        };
        var clock = now.PhaseLength is { } length
            ? string.Create(c, $" {now.Elapsed.TotalSeconds:0}/{length.TotalSeconds:0} s")
            : string.Create(c, $" {now.Elapsed.TotalSeconds:0} s");
        var trips = (now.RoundTrips - last.RoundTrips) / seconds;
        var bytes = options.Mode == BenchMode.Flood ? now.BytesSent - last.BytesSent : now.BytesReceived - last.BytesReceived;
        var mib = bytes / seconds / (1024 * 1024);
        var problems = now.Problems > 0 ? string.Create(c, $", {now.Problems} PROBLEMS") : "";
        return string.Create(c, $"bench: {phase}{clock}, {now.Connections} connections, {trips:N0} round trips/s, {mib:N1} MiB/s{problems}");
    }

    private async Task WriteAsync(string line)
    {
        if (terminal)
        {
            var padded = line.Length < _width ? line + new string(' ', _width - line.Length) : line;
            _width = line.Length;
            await error.WriteAsync("\r" + padded);
        }
        else
        {
            await error.WriteLineAsync(line);
        }

        await error.FlushAsync(CancellationToken.None);
    }
}
