using System.Net;

namespace Parley.Cli.Options;

/// <summary>Where a server's metrics and health are served (<c>--metrics</c>) and exported (<c>--otlp-endpoint</c>); null for off.</summary>
internal sealed record MonitoringSettings(IPEndPoint? Metrics, Uri? OtlpEndpoint)
{
    public static MonitoringSettings Off { get; } = new(null, null);
}
