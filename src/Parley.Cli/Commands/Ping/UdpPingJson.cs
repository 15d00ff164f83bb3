using System.Text.Json;
using Parley.Net;
using Parley.Ping;
using Parley.Tcp;

namespace Parley.Cli.Commands.Ping;

/// <summary>
/// The output of <c>parley ping --udp --json</c>: one JSON object with the settings, every probe and the summary
/// (times in milliseconds), or with <c>error</c> set when the host does not resolve. The field names are a contract
/// for scripts, documented in docs/connectivity.md; those the TCP ping has mean the same here.
/// </summary>
internal static class UdpPingJson
{
    public static string Report(UdpPingReport report, UdpPingOptions options) => PingJson.Write(writer =>
    {
        var ping = report.Ping;
        Settings(writer, ping.Host, ping.Port, options);
        PingJson.Addresses(writer, ping.Addresses);
        writer.WriteStartArray("probes");
        foreach (var probe in report.Probes)
        {
            Probe(writer, probe);
        }

        writer.WriteEndArray();
        Summary(writer, report);
        writer.WriteNull("error");
    });

    /// <summary>The object for a run that ended before the first probe: no summary, and why in <c>error</c>.</summary>
    public static string Failure(string host, int port, UdpPingOptions options, ConnectException error) => PingJson.Write(writer =>
    {
        Settings(writer, host, port, options);
        PingJson.FailureBody(writer, error.Failure == ConnectFailure.UnknownHost ? "unknown-host" : "error", error.Message, error.Hint);
    });

    private static void Settings(Utf8JsonWriter writer, string host, int port, UdpPingOptions options)
    {
        writer.WriteString("target", HostPort.Format(host, port));
        writer.WriteString("host", host);
        writer.WriteNumber("port", port);
        writer.WriteString("transport", "udp");
        writer.WriteNumber("size", options.Size);
        writer.WriteNumber("count", options.Count);
        writer.WriteNumber("intervalMs", PingJson.Ms(options.Interval));
        writer.WriteNumber("replyTimeoutMs", PingJson.Ms(options.ReplyTimeout));
    }

    private static void Probe(Utf8JsonWriter writer, UdpProbeResult probe)
    {
        var result = probe.Result;
        writer.WriteStartObject();
        writer.WriteNumber("probe", result.Sequence);
        writer.WriteString("status", result.IsAnswered ? "answered" : Name(result.Status));
        PingJson.Nullable(writer, "address", result.EndPoint);
        PingJson.Nullable(writer, "rttMs", result.RoundTrip);
        writer.WriteNumber("bytesSent", result.BytesSent);
        writer.WriteNumber("bytesReceived", result.BytesReceived);
        PingJson.Nullable(writer, "lateRttMs", probe.LateRoundTrip);
        writer.WriteNumber("duplicates", probe.Duplicates);
        writer.WriteBoolean("reordered", probe.Reordered);
        if (!result.IsAnswered)
        {
            writer.WriteString("message", result.Message);
            writer.WriteString("hint", result.Hint);
        }

        writer.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter writer, UdpPingReport report)
    {
        var s = report.Ping.Statistics;
        writer.WriteStartObject("summary");
        writer.WriteNumber("sent", s.Sent);
        writer.WriteNumber("received", s.Answered);
        writer.WriteNumber("lost", s.Lost);
        writer.WriteNumber("lossPercent", Math.Round(s.LossPercent, 1));
        writer.WriteNumber("late", report.Late);
        writer.WriteNumber("duplicates", report.Duplicates);
        writer.WriteNumber("reordered", report.Reordered);
        writer.WriteNumber("corrupted", report.Corrupted);
        writer.WriteNumber("foreign", report.Foreign);
        writer.WriteNumber("inFlight", report.InFlight);
        writer.WriteNumber("elapsedMs", PingJson.Ms(report.Ping.Elapsed));
        writer.WriteBoolean("interrupted", report.Ping.Interrupted);
        if (s.RoundTrip is { } rtt)
        {
            writer.WriteStartObject("rttMs");
            writer.WriteNumber("min", PingJson.Ms(rtt.Min));
            writer.WriteNumber("avg", PingJson.Ms(rtt.Average));
            writer.WriteNumber("max", PingJson.Ms(rtt.Max));
            PingJson.Nullable(writer, "mdev", report.RoundTripDeviation);
            PingJson.Nullable(writer, "p50", report.RoundTripMedian);
            writer.WriteNumber("p99", PingJson.Ms(rtt.P99));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("rttMs");
        }

        PingJson.Nullable(writer, "interarrivalJitterMs", report.InterarrivalJitter);
        writer.WriteStartArray("losses");
        foreach (var loss in s.Losses)
        {
            writer.WriteStartObject();
            writer.WriteString("status", Name(loss.Status));
            writer.WriteNumber("count", loss.Count);
            writer.WriteString("hint", loss.Hint);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The stable names for scripts of the ways a UDP probe is lost.</summary>
    private static string Name(ProbeStatus status) => status switch
    {
        ProbeStatus.NoEcho => "no-reply",
        ProbeStatus.Refused => "port-unreachable",
        ProbeStatus.NoRoute => "no-route",
        _ => "error",
    };
}
