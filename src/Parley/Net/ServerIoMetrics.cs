using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Net;

/// <summary>
/// The one instrument TCP and UDP servers share, <c>parley.server.io</c>: bytes received and sent, told apart by
/// <c>network.transport</c> and <c>network.io.direction</c> (the attribute names of OpenTelemetry's conventions).
/// </summary>
internal static class ServerIoMetrics
{
    public static readonly Counter<long> Io = ParleyMeter.Instance.CreateCounter<long>(
        "parley.server.io", "By", "Bytes received and sent (network.io.direction); TCP counts a connection's bytes when it closes");

    public static readonly KeyValuePair<string, object?> Receive = new("network.io.direction", "receive");

    public static readonly KeyValuePair<string, object?> Transmit = new("network.io.direction", "transmit");
}
