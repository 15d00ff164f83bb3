using System.Globalization;
using System.Net;
using Parley.Ping;
using Parley.Shared;

namespace Parley.Cli.Commands.Ping;

/// <summary>
/// The output of <c>parley ping --udp</c> for people, like ping's: a header, one line per probe and per datagram that
/// came back, a summary.
/// </summary>
internal sealed class UdpPingText(TextWriter output, UdpPingOptions options)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>PING localhost:9000 over UDP (127.0.0.1): 64-byte datagrams, 5 probes 1s apart, reply timeout 1s</c></summary>
    public void Header(string target, IReadOnlyList<IPAddress> addresses)
    {
        var count = options.Count == 0 ? "until Ctrl+C" : options.Count == 1 ? "1 probe" : $"{options.Count} probes";
        var spacing = options.Count == 1 ? "" : $" {Durations.Format(options.Interval)} apart";
        var used = addresses.Count > 1 ? $", using {addresses[0]}" : "";
        Line($"PING {target} over UDP ({string.Join(", ", addresses)}{used}): {options.Size}-byte datagrams, {count}{spacing}, reply timeout {Durations.Format(options.ReplyTimeout)}");
    }

    /// <summary>
    /// <c>64 bytes from 127.0.0.1:9000: probe=1 rtt=0.412 ms</c>, <c>probe=2: no reply within 1.0 s</c>, and the
    /// late, duplicate, corrupted and foreign datagrams.
    /// </summary>
    public void Event(UdpPingEvent e)
    {
        var order = e.Reordered ? " (out of order)" : "";
        switch (e.Kind)
        {
            case UdpPingEventKind.Answered:
                Line(string.Create(Invariant, $"{e.Bytes} bytes from {e.From}: probe={e.Sequence} rtt={Ms(e.RoundTrip)} ms{order}"));
                break;
            case UdpPingEventKind.Lost:
                Line(string.Create(Invariant, $"probe={e.Sequence}: {e.Message}"));
                break;
            case UdpPingEventKind.Late:
                Line(string.Create(Invariant,
                    $"{e.Bytes} bytes from {e.From}: probe={e.Sequence} rtt={Ms(e.RoundTrip)} ms LATE (after the reply timeout: counted as late, the probe stays lost){order}"));
                break;
            case UdpPingEventKind.Duplicate:
                Line(string.Create(Invariant, $"{e.Bytes} bytes from {e.From}: probe={e.Sequence} rtt={Ms(e.RoundTrip)} ms (DUP!)"));
                break;
            case UdpPingEventKind.Corrupted:
                Line($"corrupted: {e.Message}");
                break;
            default:
                Line($"foreign: {e.Message}");
                break;
        }
    }

    /// <summary>The summary: the counts, the round trips, the interarrival jitter, and why probes were lost.</summary>
    public void Summary(string target, UdpPingReport report)
    {
        var s = report.Ping.Statistics;
        Line("");
        Line($"--- {target} UDP ping statistics ---");
        var interrupted = report.Ping.Interrupted ? ", interrupted" : "";
        Line(string.Create(Invariant,
            $"{s.Sent} {(s.Sent == 1 ? "probe" : "probes")} sent, {s.Answered} received, {s.Lost} lost ({s.LossPercent:0.#}% loss), "
            + $"{report.Late} late, {report.Duplicates} duplicates, {report.Reordered} reordered, {report.Corrupted} corrupted, "
            + $"{report.Foreign} foreign, time {Durations.Format(report.Ping.Elapsed)}{interrupted}"));
        if (report.InFlight > 0)
        {
            Line(string.Create(Invariant, $"{report.InFlight} more {(report.InFlight == 1 ? "probe was" : "probes were")} still waiting for a reply: not counted"));
        }

        if (s.RoundTrip is { } rtt)
        {
            Line($"rtt min/avg/max/mdev = {Ms(rtt.Min)}/{Ms(rtt.Average)}/{Ms(rtt.Max)}/{Ms(report.RoundTripDeviation)} ms, p50/p99 = {Ms(report.RoundTripMedian)}/{Ms(rtt.P99)} ms");
        }

        if (report.InterarrivalJitter is { } jitter)
        {
            Line($"interarrival jitter (RFC 3550) = {Ms(jitter)} ms");
        }

        foreach (var loss in s.Losses)
        {
            Line(string.Create(Invariant, $"{loss.Count} lost to {Words(loss.Status)}: {loss.Hint}"));
        }
    }

    /// <summary>A few words for a person, as UDP has them (no connection to refuse or reset).</summary>
    internal static string Words(ProbeStatus status) => status switch
    {
        ProbeStatus.NoEcho => "no reply in time",
        ProbeStatus.Refused => "port unreachable",
        ProbeStatus.NoRoute => "no route",
        _ => "other error",
    };

    private static string Ms(TimeSpan? time) => (time ?? TimeSpan.Zero).TotalMilliseconds.ToString("0.000", Invariant);

    private void Line(string line)
    {
        // Flushed line by line, so that a pipe or a terminal sees each probe as it ends.
        output.WriteLine(line);
        output.Flush();
    }
}
