using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Parley.Bench;
using Parley.Cli.Hosting;
using Parley.Cli.Logging;
using Parley.Cli.Options;
using Parley.Tcp;

namespace Parley.Cli.Commands.Bench;

/// <summary>
/// <c>parley bench HOST</c>: loads an echo server, verifies every echoed byte and reports round trips/s, MiB/s and
/// latency. Live progress goes to standard error once a second; the result (a table, or JSON with <c>--json</c>) to
/// standard output.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("bench", "Load an echo server and measure it: round trips/s, MiB/s, latency percentiles; every echoed byte is checked (default port 9000)");
        var host = new Argument<string>("host")
        {
            Description = $"The echo server's host name or address (${EnvironmentDefaults.HostVariable}, when set, replaces the default localhost)",
            DefaultValueFactory = _ => EnvironmentDefaults.Host("localhost"),
        };
        var port = OptionFactory.Port("Server port", 1, 9000);
        var connections = OptionFactory.Int("--connections", "How many connections to open and load at once", 1, 1, 100_000);
        connections.Aliases.Add("-c");
        var size = OptionFactory.Int("--size", "Bytes in each message: the whole line with --framing line, the payload after the 4-byte header with --framing length; in stream and flood modes each write is one message", 64, 1, 64 * 1024 * 1024, "bytes");
        size.Aliases.Add("-s");
        var duration = OptionFactory.Duration("--duration", "How long to measure, after the warm-up (idle mode: how long to hold the connections)", TimeSpan.FromSeconds(10));
        duration.Aliases.Add("-d");
        var warmup = ZeroOrDuration("--warmup", "How long to load the server before measuring (0 for none)", TimeSpan.FromSeconds(2));
        var mode = OptionFactory.Choice("--mode",
            "pingpong: one message in flight per connection, timed; stream: write and read at once, as fast as the server goes; idle: hold the connections silent, then check each once; flood: write and never read (does the server hold back?)",
            "pingpong", "pingpong", "stream", "idle", "flood");
        var framing = OptionFactory.Choice("--framing", "line: messages are lines; length: 4-byte length-prefixed messages (docs/protocol.md)", "line", "line", "length");
        var chunk = OptionFactory.Int("--chunk-size", "Read echoes in portions of at most this many bytes (stream mode)", 64 * 1024, 1, 16 * 1024 * 1024, "bytes");
        var drain = OptionFactory.Duration("--drain-timeout", "After the measured time, how long to wait for echoes still owed before counting them missing", TimeSpan.FromSeconds(5));
        var connectTimeout = OptionFactory.Duration("--connect-timeout", "How long to wait for each connection to be accepted", TimeSpan.FromSeconds(5));
        var busyPoll = OptionFactory.Int(
            "--busy-poll", "Microseconds the generator's loops keep polling for the next echo before they sleep: neither end then pays for waking the generator, "
            + "so more of each round trip is the server's; costs the generator's whole core (0: off; plain TCP on Linux x86-64 or Arm64)", 0, 0, 1000, "µs");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object instead of a table" };
        var source = new SourceAddressOption();
        command.Add(host);
        source.AddTo(command);
        command.Validators.Add(result =>
        {
            if (source.Typed(result) is { } from && SourceAddressOption.Conflict(from, result.GetValue(host)) is { } conflict)
            {
                result.AddError(conflict);
            }
        });
        foreach (var option in new Option[] { port, connections, size, duration, warmup, mode, framing, chunk, drain, connectTimeout, busyPoll, json })
        {
            command.Add(option);
        }

        command.SetAction(async (result, _) =>
        {
            InlineSocketContinuations.Enable();
            var options = new BenchOptions
            {
                Host = result.GetValue(host) ?? "localhost",
                Port = result.GetValue(port),
                Connections = result.GetValue(connections),
                MessageSize = result.GetValue(size),
                Duration = result.GetValue(duration),
                Warmup = result.GetValue(warmup),
                Mode = result.GetValue(mode) switch
                {
                    "stream" => BenchMode.Stream,
                    "idle" => BenchMode.Idle,
                    "flood" => BenchMode.Flood,
                    _ => BenchMode.PingPong,
                },
                Framing = result.GetValue(framing) == "length" ? BenchFraming.Length : BenchFraming.Line,
                ReadChunkSize = result.GetValue(chunk),
                DrainTimeout = result.GetValue(drain),
                BusyPoll = TimeSpan.FromMicroseconds(result.GetValue(busyPoll)),
                Connect = new ConnectOptions
                {
                    Timeout = result.GetValue(connectTimeout),
                    LocalAddress = source.Read(result),
                    AddressFamily = source.Read(result)?.AddressFamily,
                },
            };
            return await RunAsync(console, options, result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, BenchOptions options, bool json)
    {
        using var loggerFactory = LoggingSetup.Create(LoggingSettings.Console(LogLevel.Warning));
        var generator = new LoadGenerator(options, loggerFactory);
        using var interrupted = new CancellationTokenSource();
        using var stop = StopSources.Signals(_ => interrupted.Cancel());
        using var finished = new CancellationTokenSource();
        var status = new BenchStatusLine(console.Error, !console.IsErrorRedirected, options);
        var reporting = status.RunAsync(generator, finished.Token);
        BenchResult result;
        try
        {
            result = await generator.RunAsync(interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            throw new CliException("interrupted", ExitCodes.Interrupted);
        }
        finally
        {
            await finished.CancelAsync();
            await reporting;
        }

        await console.Out.WriteAsync(json ? BenchReport.Json(result) : BenchReport.Text(result));
        await console.Out.FlushAsync();
        if (!result.Ok)
        {
            throw new CliException(
                string.Create(CultureInfo.InvariantCulture,
                    $"the echo from {result.Target} was wrong: {result.MismatchedBytes} bytes mismatched, {result.MissingBytes} missing, {result.ExtraBytes} extra, {result.ConnectionsFailed} connections failed"));
        }

        return ExitCodes.Ok;
    }

    private static Option<Duration> ZeroOrDuration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        HelpName = "duration",
        DefaultValueFactory = _ => new Duration(defaultValue),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
            if (text is "0" or "0s" or "0ms")
            {
                return new Duration(TimeSpan.Zero);
            }

            if (DurationParser.TryParse(text, out var value, out var reason))
            {
                return new Duration(value);
            }

            result.AddError($"{name}: {reason}");
            return new Duration(defaultValue);
        },
    };
}
