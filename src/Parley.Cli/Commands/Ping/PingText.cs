using System.Globalization;
using System.Net;
using Parley.Echo;
using Parley.Ping;
using Parley.Shared;

namespace Parley.Cli.Commands.Ping;

/// <summary>The output of <c>parley ping</c> for people, like ping's: a header, one line per probe, a summary.</summary>
internal sealed class PingText(TextWriter output, PingOptions options)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>PING localhost:9000 (127.0.0.1, ::1): 32-byte lines, 5 probes 1 s apart</c></summary>
    public void Header(string target, IReadOnlyList<IPAddress> addresses)
    {
        var what = options.Mode switch
        {
            EchoMode.Raw => $"{options.Size} raw bytes",
            EchoMode.Framed => $"{options.Size}-byte messages",
            _ => $"{options.Size}-byte lines",
        };
        var count = options.Count == 0 ? "until Ctrl+C" : options.Count == 1 ? "1 probe" : $"{options.Count} probes";
        var spacing = options.Count == 1 ? "" : $" {Durations.Format(options.Interval)} apart";
        var tls = options.Connect.Tls is null ? "" : " over TLS";
        Line($"PING {target} ({string.Join(", ", addresses)}): {what}{tls}, {count}{spacing}");
    }

    /// <summary>
    /// <c>32 bytes from 127.0.0.1:9000: probe=1 connect=0.183 ms rtt=0.412 ms</c>, or
    /// <c>probe=2: cannot connect to 127.0.0.1:9000: connection refused</c>.
    /// </summary>
    public void Probe(ProbeResult probe)
    {
        if (probe is { IsAnswered: true, EndPoint: { } from, ConnectTime: { } connect, RoundTrip: { } roundTrip })
        {
            Line(string.Create(Invariant,
                $"{probe.BytesReceived} bytes from {from}: probe={probe.Sequence} connect={Ms(connect)} ms rtt={Ms(roundTrip)} ms{After(probe)}"));
        }
        else
        {
            Line(string.Create(Invariant, $"probe={probe.Sequence}: {probe.Message}{After(probe)}"));
        }
    }

    /// <summary>The summary: counts and loss, round trip and connect times, and why probes were lost.</summary>
    public void Summary(string target, PingReport report)
    {
        var s = report.Statistics;
        Line("");
        Line($"--- {target} ping statistics ---");
        var interrupted = report.Interrupted ? ", interrupted" : "";
        Line(string.Create(Invariant,
            $"{s.Sent} {(s.Sent == 1 ? "probe" : "probes")} sent, {s.Answered} answered, {s.Lost} lost ({s.LossPercent:0.#}% loss), time {Durations.Format(report.Elapsed)}{interrupted}"));
        if (s.RoundTrip is { } rtt)
        {
            Line($"rtt min/avg/max/p99 = {Ms(rtt.Min)}/{Ms(rtt.Average)}/{Ms(rtt.Max)}/{Ms(rtt.P99)} ms, jitter {Ms(rtt.Jitter)} ms");
        }

        if (s.Connect is { } connect)
        {
            Line($"connect min/avg/max = {Ms(connect.Min)}/{Ms(connect.Average)}/{Ms(connect.Max)} ms");
        }

        foreach (var loss in s.Losses)
        {
            Line(string.Create(Invariant, $"{loss.Count} lost to {ProbeStatusText.Words(loss.Status)}: {loss.Hint}"));
        }
    }

    /// <summary><c> (after 10.0.0.2:9000: connection refused)</c>: the addresses passed over to reach this one.</summary>
    private static string After(ProbeResult probe) => probe.Skipped.Count == 0 ? "" : $" (after {string.Join("; ", probe.Skipped)})";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.000", Invariant);

    private void Line(string line)
    {
        // Flushed line by line, so that a pipe or a terminal sees each probe as it ends.
        output.WriteLine(line);
        output.Flush();
    }
}
