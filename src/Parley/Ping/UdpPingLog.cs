using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Ping;

/// <summary>Log events of <c>parley ping --udp</c>. Event ids 1820-1839 (Diagnostics 1800-1899); never reuse a retired id.</summary>
internal static partial class UdpPingLog
{
    [LoggerMessage(1820, LogLevel.Information, "Pinging {Target} over UDP at {EndPoint} (resolved to {Addresses}): {Settings}")]
    public static partial void Starting(ILogger logger, string target, IPEndPoint endPoint, string addresses, string settings);

    [LoggerMessage(1821, LogLevel.Information, "Probe {Sequence} answered by {EndPoint}: round trip {RoundTripMs:0.000} ms")]
    public static partial void Answered(ILogger logger, int sequence, IPEndPoint endPoint, double roundTripMs);

    [LoggerMessage(1822, LogLevel.Information, "Probe {Sequence} to {Target} lost: {Reason}")]
    public static partial void Lost(ILogger logger, int sequence, string target, string reason);

    [LoggerMessage(1823, LogLevel.Information, "Reply to probe {Sequence} from {EndPoint} came late, after {RoundTripMs:0.000} ms: counted as late, the probe stays lost")]
    public static partial void Late(ILogger logger, int sequence, IPEndPoint endPoint, double roundTripMs);

    [LoggerMessage(1824, LogLevel.Information, "Another copy of the reply to probe {Sequence} from {EndPoint}: a duplicate")]
    public static partial void Duplicate(ILogger logger, int sequence, IPEndPoint endPoint);

    [LoggerMessage(1825, LogLevel.Information, "Corrupted reply: {Problem}")]
    public static partial void Corrupted(ILogger logger, string problem);

    [LoggerMessage(1826, LogLevel.Information, "Foreign datagram: {Problem}")]
    public static partial void Foreign(ILogger logger, string problem);

    [LoggerMessage(1827, LogLevel.Information, "UDP ping of {Target} {Ending}: {Sent} sent, {Received} received, {Lost} lost, {Late} late, {Duplicates} duplicates, {Reordered} reordered, {Corrupted} corrupted, {Foreign} foreign")]
    public static partial void Finished(
        ILogger logger, string target, string ending, int sent, int received, int lost, int late, int duplicates, int reordered, int corrupted, int foreign);

    [LoggerMessage(1828, LogLevel.Debug, "The system reported {Error} for {EndPoint}")]
    public static partial void SocketError(ILogger logger, string error, IPEndPoint endPoint);

    [LoggerMessage(1829, LogLevel.Information, "Warming up on a loopback UDP echo of our own at {EndPoint} (not counted, nothing sent to the target)")]
    public static partial void WarmUp(ILogger logger, IPEndPoint endPoint);
}
