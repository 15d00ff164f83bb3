using System.Net;
using System.Text;
using System.Text.Json;
using Parley.Echo;
using Parley.Net;
using Parley.Ping;
using Parley.Tcp;

namespace Parley.Cli.Commands.Ping;

/// <summary>
/// The output of <c>parley ping --json</c>: one JSON object with the settings, every probe and the summary (times in
/// milliseconds), or with <c>error</c> set when the host does not resolve. The field names are a contract for
/// scripts: documented in docs/connectivity.md, changed only by adding fields.
/// </summary>
internal static class PingJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static string Report(PingReport report, PingOptions options) => Write(writer =>
    {
        Settings(writer, report.Host, report.Port, options);
        Addresses(writer, report.Addresses);
        writer.WriteStartArray("probes");
        foreach (var probe in report.Probes)
        {
            Probe(writer, probe);
        }

        writer.WriteEndArray();
        Summary(writer, report);
        writer.WriteNull("error");
    });

    public static string Failure(string host, int port, PingOptions options, ConnectException error) =>
        Failure(host, port, options, error.Failure == ConnectFailure.UnknownHost ? "unknown-host" : "error", error.Message, error.Hint);

    /// <summary>The object for a run that ended before or between probes: no summary, and why in <c>error</c>.</summary>
    public static string Failure(string host, int port, PingOptions options, string status, string message, string hint) => Write(writer =>
    {
        Settings(writer, host, port, options);
        FailureBody(writer, status, message, hint);
    });

    /// <summary>The addresses, in the resolver's order.</summary>
    internal static void Addresses(Utf8JsonWriter writer, IReadOnlyList<IPAddress> addresses)
    {
        writer.WriteStartArray("addresses");
        foreach (var address in addresses)
        {
            writer.WriteStringValue(address.ToString());
        }

        writer.WriteEndArray();
    }

    /// <summary>What follows the settings for a run that ended before the first probe: nothing, and why in <c>error</c>.</summary>
    internal static void FailureBody(Utf8JsonWriter writer, string status, string message, string hint)
    {
        Addresses(writer, []);
        writer.WriteStartArray("probes");
        writer.WriteEndArray();
        writer.WriteNull("summary");
        writer.WriteStartObject("error");
        writer.WriteString("status", status);
        writer.WriteString("message", message);
        writer.WriteString("hint", hint);
        writer.WriteEndObject();
    }

    private static void Settings(Utf8JsonWriter writer, string host, int port, PingOptions options)
    {
        writer.WriteString("target", HostPort.Format(host, port));
        writer.WriteString("host", host);
        writer.WriteNumber("port", port);
        writer.WriteString("mode", options.Mode switch
        {
            EchoMode.Raw => "raw",
            EchoMode.Framed => "framed",
            _ => "line",
        });
        writer.WriteBoolean("tls", options.Connect.Tls is not null);
        writer.WriteNumber("size", options.Size);
        writer.WriteNumber("count", options.Count);
        writer.WriteNumber("intervalMs", Ms(options.Interval));
    }

    private static void Probe(Utf8JsonWriter writer, ProbeResult probe)
    {
        writer.WriteStartObject();
        writer.WriteNumber("probe", probe.Sequence);
        writer.WriteString("status", ProbeStatusText.Name(probe.Status));
        Nullable(writer, "address", probe.EndPoint);
        Nullable(writer, "connectMs", probe.ConnectTime);
        Nullable(writer, "rttMs", probe.RoundTrip);
        writer.WriteNumber("bytesSent", probe.BytesSent);
        writer.WriteNumber("bytesReceived", probe.BytesReceived);
        writer.WriteStartArray("skipped");
        foreach (var skipped in probe.Skipped)
        {
            writer.WriteStringValue(skipped);
        }

        writer.WriteEndArray();
        if (!probe.IsAnswered)
        {
            writer.WriteString("message", probe.Message);
            writer.WriteString("hint", probe.Hint);
        }

        writer.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter writer, PingReport report)
    {
        var s = report.Statistics;
        writer.WriteStartObject("summary");
        writer.WriteNumber("sent", s.Sent);
        writer.WriteNumber("answered", s.Answered);
        writer.WriteNumber("lost", s.Lost);
        writer.WriteNumber("lossPercent", Math.Round(s.LossPercent, 1));
        writer.WriteNumber("elapsedMs", Ms(report.Elapsed));
        writer.WriteBoolean("interrupted", report.Interrupted);
        if (s.RoundTrip is { } rtt)
        {
            writer.WriteStartObject("rttMs");
            writer.WriteNumber("min", Ms(rtt.Min));
            writer.WriteNumber("avg", Ms(rtt.Average));
            writer.WriteNumber("max", Ms(rtt.Max));
            writer.WriteNumber("p99", Ms(rtt.P99));
            writer.WriteNumber("jitter", Ms(rtt.Jitter));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("rttMs");
        }

        if (s.Connect is { } connect)
        {
            writer.WriteStartObject("connectMs");
            writer.WriteNumber("min", Ms(connect.Min));
            writer.WriteNumber("avg", Ms(connect.Average));
            writer.WriteNumber("max", Ms(connect.Max));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("connectMs");
        }

        writer.WriteStartArray("losses");
        foreach (var loss in s.Losses)
        {
            writer.WriteStartObject();
            writer.WriteString("status", ProbeStatusText.Name(loss.Status));
            writer.WriteNumber("count", loss.Count);
            writer.WriteString("hint", loss.Hint);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static void Nullable(Utf8JsonWriter writer, string name, TimeSpan? time)
    {
        if (time is { } t)
        {
            writer.WriteNumber(name, Ms(t));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void Nullable(Utf8JsonWriter writer, string name, IPEndPoint? endPoint)
    {
        if (endPoint is not null)
        {
            writer.WriteString(name, endPoint.ToString());
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Milliseconds to the microsecond.</summary>
    internal static double Ms(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);

    internal static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
