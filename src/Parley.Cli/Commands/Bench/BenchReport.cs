using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Bench;

namespace Parley.Cli.Commands.Bench;

/// <summary>The result of <c>parley bench</c> as a table for people or as one JSON object for scripts.</summary>
internal static class BenchReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Text(BenchResult r)
    {
        var s = new StringBuilder();
        var framing = r.Framing == BenchFraming.Length
            ? string.Create(C, $"{r.MessageSize}-byte length-prefixed messages ({r.WireSize} bytes on the wire)")
            : string.Create(C, $"{r.MessageSize}-byte lines");
        s.AppendLine(C, $"parley bench {r.Target}: {ModeName(r.Mode)}, {r.Connections:N0} connections, {framing}");
        var measured = r.Mode == BenchMode.Idle ? "held" : "measured";
        s.AppendLine(C, $"  {measured,-15} {r.Measured.TotalSeconds:0.00} s, after {r.Warmup.TotalSeconds:0.##} s of warm-up");
        if (r.Mode is BenchMode.PingPong or BenchMode.Stream)
        {
            s.AppendLine(C, $"  {"round trips",-15} {r.RoundTripsPerSecond:N0}/s ({r.RoundTrips:N0} messages echoed)");
            s.AppendLine(C, $"  {"throughput",-15} {r.MiBPerSecond:N2} MiB/s echoed");
            var p = r.PerConnectionMiBPerSecond;
            s.AppendLine(C, $"  {"per connection",-15} MiB/s: slowest {p.Slowest:N2}, median {p.Median:N2}, fastest {p.Fastest:N2}{Fairness(p)}");
            var t = r.PerConnectionRoundTripsPerSecond;
            s.AppendLine(C, $"  {"",-15} round trips/s: slowest {t.Slowest:N0}, median {t.Median:N0}, fastest {t.Fastest:N0}");
        }
        else if (r.Mode == BenchMode.Flood)
        {
            s.AppendLine(C, $"  {"taken",-15} {r.MiBPerSecond:N2} MiB/s sent and accepted, never read back");
            var p = r.PerConnectionMiBPerSecond;
            s.AppendLine(C, $"  {"per connection",-15} MiB/s: slowest {p.Slowest:N2}, median {p.Median:N2}, fastest {p.Fastest:N2}");
        }

        if (r.Latency is { } l)
        {
            s.AppendLine(C, $"  {"latency",-15} p50 {Micro(l.P50)}, p90 {Micro(l.P90)}, p99 {Micro(l.P99)}, p99.9 {Micro(l.P999)}, max {Micro(l.Max)} ({l.Count:N0} round trips, mean {Micro(l.Mean)})");
        }

        if (r.EchoVerified)
        {
            var verdict = r.Ok ? "every byte echoed unchanged" : "ECHO WRONG";
            s.AppendLine(C, $"  {"verified",-15} {verdict}: {r.BytesSent:N0} bytes sent, {r.BytesReceived:N0} received, {r.MismatchedBytes:N0} mismatched, {r.MissingBytes:N0} missing, {r.ExtraBytes:N0} extra");
        }
        else
        {
            s.AppendLine(C, $"  {"sent",-15} {r.BytesSent:N0} bytes in all, no echo read (flood mode)");
        }

        if (r.ConnectionsFailed > 0)
        {
            s.AppendLine(C, $"  {"failed",-15} {r.ConnectionsFailed:N0} connections");
        }

        foreach (var problem in r.Problems)
        {
            s.AppendLine(C, $"  {"problem",-15} {problem}");
        }

        return s.ToString();
    }

    public static string Json(BenchResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", r.Target);
            w.WriteString("mode", ModeKey(r.Mode));
            w.WriteString("framing", r.Framing == BenchFraming.Length ? "length" : "line");
            w.WriteNumber("connections", r.Connections);
            w.WriteNumber("size", r.MessageSize);
            w.WriteNumber("wireSize", r.WireSize);
            w.WriteNumber("warmupSeconds", r.Warmup.TotalSeconds);
            w.WriteNumber("measuredSeconds", Math.Round(r.Measured.TotalSeconds, 6));
            w.WriteNumber("roundTrips", r.RoundTrips);
            w.WriteNumber("roundTripsPerSecond", Math.Round(r.RoundTripsPerSecond, 1));
            w.WriteNumber("mibPerSecond", Math.Round(r.MiBPerSecond, 3));
            WriteSpread(w, "perConnectionMiBPerSecond", r.PerConnectionMiBPerSecond, 3);
            WriteSpread(w, "perConnectionRoundTripsPerSecond", r.PerConnectionRoundTripsPerSecond, 1);
            if (r.Latency is { } l)
            {
                w.WriteStartObject("latencyMicroseconds");
                w.WriteNumber("count", l.Count);
                w.WriteNumber("mean", Math.Round(l.Mean, 3));
                w.WriteNumber("p50", l.P50);
                w.WriteNumber("p90", l.P90);
                w.WriteNumber("p99", l.P99);
                w.WriteNumber("p999", l.P999);
                w.WriteNumber("max", l.Max);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("latencyMicroseconds");
            }

            w.WriteNumber("bytesSent", r.BytesSent);
            w.WriteNumber("bytesReceived", r.BytesReceived);
            w.WriteNumber("messagesSent", r.MessagesSent);
            w.WriteNumber("messagesEchoed", r.MessagesEchoed);
            w.WriteStartObject("verification");
            w.WriteBoolean("ok", r.Ok);
            w.WriteBoolean("echoRead", r.EchoVerified);
            w.WriteNumber("mismatchedBytes", r.MismatchedBytes);
            w.WriteNumber("missingBytes", r.MissingBytes);
            w.WriteNumber("extraBytes", r.ExtraBytes);
            w.WriteNumber("connectionsFailed", r.ConnectionsFailed);
            w.WriteStartArray("problems");
            foreach (var problem in r.Problems)
            {
                w.WriteStringValue(problem);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    private static void WriteSpread(Utf8JsonWriter w, string name, BenchSpread spread, int digits)
    {
        w.WriteStartObject(name);
        w.WriteNumber("slowest", Math.Round(spread.Slowest, digits));
        w.WriteNumber("median", Math.Round(spread.Median, digits));
        w.WriteNumber("fastest", Math.Round(spread.Fastest, digits));
        w.WriteEndObject();
    }

    private static string Fairness(BenchSpread p) =>
        p.Median > 0 ? string.Create(C, $" (slowest/median {p.Slowest / p.Median:0.00})") : "";

    private static string Micro(double microseconds) =>
        microseconds >= 10_000 ? string.Create(C, $"{microseconds / 1000:0.0} ms") : string.Create(C, $"{microseconds:0.0} µs");

    private static string ModeName(BenchMode mode) => mode switch
    {
        BenchMode.Stream => "stream",
        BenchMode.Idle => "idle connections",
        BenchMode.Flood => "flood (send, never read)",
        _ => "ping-pong",
    };

    private static string ModeKey(BenchMode mode) => mode switch
    {
        BenchMode.Stream => "stream",
        BenchMode.Idle => "idle",
        BenchMode.Flood => "flood",
        _ => "pingpong",
    };
}
