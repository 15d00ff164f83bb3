using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Parley.Cli.Options;
using Parley.Hosting;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;
using Prometheus;

namespace Parley.Cli.Hosting;

/// <summary>
/// <c>--metrics</c> and <c>--otlp-endpoint</c> for one server: the Parley meter read into a prometheus-net registry of
/// its own (<see cref="PrometheusBridge"/>), served with the server's health by a small <see cref="TcpServer"/>, and exported by OpenTelemetry's
/// OTLP exporter. Started before the server binds (a busy metrics port fails before any service port opens); disposed
/// after the server has stopped, so <c>/healthz</c> answers "stopping" all through the stop and OTLP gets the last
/// figures.
/// </summary>
internal sealed class ServerMonitoring : IAsyncDisposable
{
    private static readonly TimeSpan OtlpInterval = TimeSpan.FromSeconds(10);

    private readonly TcpServer? _endpoint;
    private readonly IDisposable? _adapter;
    private readonly MeterProvider? _otlp;

    private ServerMonitoring(TcpServer? endpoint, IDisposable? adapter, MeterProvider? otlp) =>
        (_endpoint, _adapter, _otlp) = (endpoint, adapter, otlp);

    /// <summary>Where <c>/metrics</c> is served, once started; null without <c>--metrics</c>.</summary>
    public IPEndPoint? MetricsEndPoint => _endpoint?.EndPoint;

    /// <exception cref="CliException">The metrics port cannot be bound (exit code 1).</exception>
    public static ServerMonitoring Start(MonitoringSettings settings, ILoggerFactory logs, IServer server, HealthProbe? probe)
    {
        var logger = logs.CreateLogger("Parley.Monitoring");
        TcpServer? endpoint = null;
        IDisposable? adapter = null;
        if (settings.Metrics is { } address)
        {
            var registry = Metrics.NewCustomRegistry();
            adapter = new PrometheusBridge(registry);
            var health = new ServerHealth(() => server.IsStopping, probe);
            // Its connections are not logged: a scrape every few seconds would fill the log. It is counted under
            // parley.service "metrics".
            endpoint = new TcpServer(new TcpServerOptions
            {
                Address = address.Address,
                Port = address.Port,
                PortTries = 1,
                IdleTimeout = TimeSpan.FromSeconds(10),
                MaxConnections = 32,
                StopPolicy = StopPolicy.None,
                ShutdownTimeout = TimeSpan.FromSeconds(1),
            }, new MetricsHttpHandler(registry, health), NullLoggerFactory.Instance);
            try
            {
                endpoint.Start();
            }
            catch (ListenException e)
            {
                adapter.Dispose();
                throw new CliException($"--metrics: {e.Message}");
            }

            MonitoringLog.Serving(logger, endpoint.EndPoint);
            if (!IPAddress.IsLoopback(endpoint.EndPoint.Address))
            {
                MonitoringLog.BeyondLoopback(logger, endpoint.EndPoint);
            }
        }

        MeterProvider? otlp = null;
        if (settings.OtlpEndpoint is { } url)
        {
            var http = url.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal);
            otlp = Sdk.CreateMeterProviderBuilder()
                .AddMeter(ParleyMeter.Name)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = url;
                    exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)OtlpInterval.TotalMilliseconds;
                })
                .Build();
            MonitoringLog.Exporting(logger, http ? "HTTP/protobuf" : "gRPC", url);
        }

        return new ServerMonitoring(endpoint, adapter, otlp);
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.StopAsync("the program");
        }

        _adapter?.Dispose();
        // Flushes: the collector gets the figures of the last moments before the stop.
        _otlp?.Dispose();
    }
}
