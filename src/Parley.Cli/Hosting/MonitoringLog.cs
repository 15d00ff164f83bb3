using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Cli.Hosting;

/// <summary>The log events of <c>--metrics</c> and <c>--otlp-endpoint</c>.</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(1950, LogLevel.Information, "Serving metrics at http://{EndPoint}/metrics and health at http://{EndPoint}/healthz")]
    public static partial void Serving(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(1951, LogLevel.Warning,
        "The metrics endpoint {EndPoint} is reachable beyond this machine and has no authentication: anyone who reaches it can read the server's metrics")]
    public static partial void BeyondLoopback(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(1952, LogLevel.Information, "Exporting metrics over OTLP ({Protocol}) to {Endpoint}")]
    public static partial void Exporting(ILogger logger, string protocol, Uri endpoint);
}
