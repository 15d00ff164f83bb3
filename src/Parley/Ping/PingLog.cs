using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Ping;

/// <summary>Log events of <c>parley ping</c>. Event ids 1800-1819 (Diagnostics 1800-1899); never reuse a retired id.</summary>
internal static partial class PingLog
{
    [LoggerMessage(1800, LogLevel.Information, "Pinging {Target} at {Addresses}: {Settings}")]
    public static partial void PingStarting(ILogger logger, string target, string addresses, string settings);

    [LoggerMessage(1801, LogLevel.Information, "Probe {Sequence} answered by {EndPoint}: connect {ConnectMs:0.000} ms, echo round trip {RoundTripMs:0.000} ms")]
    public static partial void ProbeAnswered(ILogger logger, int sequence, IPEndPoint endPoint, double connectMs, double roundTripMs);

    [LoggerMessage(1802, LogLevel.Information, "Probe {Sequence} to {Target} lost: {Reason}")]
    public static partial void ProbeLost(ILogger logger, int sequence, string target, string reason);

    [LoggerMessage(1803, LogLevel.Information, "Ping of {Target} {Ending}: {Sent} sent, {Answered} answered, {Lost} lost")]
    public static partial void PingFinished(ILogger logger, string target, string ending, int sent, int answered, int lost);

    [LoggerMessage(1804, LogLevel.Information, "Warming up on a loopback echo of our own at {EndPoint} (not counted, nothing sent to the target)")]
    public static partial void PingWarmUp(ILogger logger, IPEndPoint endPoint);
}
