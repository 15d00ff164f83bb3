using System.Diagnostics.Metrics;
using Parley.Net;
using Parley.Shared;

namespace Parley.Tcp;

/// <summary>
/// The instruments of every TCP server, named after OpenTelemetry's Kestrel conventions
/// (<c>kestrel.active_connections</c>, <c>kestrel.connection.duration</c>, ...) under <c>parley.server.</c>. Every
/// measurement carries <c>parley.service</c>, <c>network.transport</c> and <c>server.port</c>. Nothing is measured
/// per read or write: bytes and messages are added when a connection closes, so the echo path pays nothing.
/// </summary>
internal sealed class TcpMetrics
{
    private static readonly UpDownCounter<long> ActiveConnections = ParleyMeter.Instance.CreateUpDownCounter<long>(
        "parley.server.active_connections", "{connection}", "Clients connected now");

    private static readonly Histogram<double> ConnectionDuration = ParleyMeter.Instance.CreateHistogram(
        "parley.server.connection.duration", "s", "How long each closed connection lasted, by why it closed (parley.close_reason)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ParleyMeter.DurationBuckets });

    private static readonly Counter<long> RejectedConnections = ParleyMeter.Instance.CreateCounter<long>(
        "parley.server.rejected_connections", "{connection}", "Connections refused for a connection limit");

    private static readonly Counter<long> Messages = ParleyMeter.Instance.CreateCounter<long>(
        "parley.server.messages", "{message}", "Length-prefixed messages received (framed echo), counted when each connection closes");

    private static readonly Histogram<double> TlsHandshakeDuration = ParleyMeter.Instance.CreateHistogram(
        "parley.server.tls_handshake.duration", "s", "TLS handshakes and how long they took; failed ones carry error.type",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ParleyMeter.DurationBuckets });

    private readonly KeyValuePair<string, object?> _service;
    private readonly KeyValuePair<string, object?> _port;
    private static readonly KeyValuePair<string, object?> Transport = new("network.transport", "tcp");

    public TcpMetrics(string service, int port)
    {
        _service = new("parley.service", service);
        _port = new("server.port", port);
    }

    public void Connected()
    {
        if (ActiveConnections.Enabled)
        {
            ActiveConnections.Add(1, _service, Transport, _port);
        }
    }

    public void Closed(ServerConnection connection, TimeSpan duration)
    {
        if (ActiveConnections.Enabled)
        {
            ActiveConnections.Add(-1, _service, Transport, _port);
        }

        if (ConnectionDuration.Enabled)
        {
            ConnectionDuration.Record(duration.TotalSeconds, _service, Transport, _port,
                new("parley.close_reason", CloseReasonText.Tag(connection.CloseReason)));
        }

        if (ServerIoMetrics.Io.Enabled)
        {
            ServerIoMetrics.Io.Add(connection.BytesReceived, _service, Transport, _port, ServerIoMetrics.Receive);
            ServerIoMetrics.Io.Add(connection.BytesSent, _service, Transport, _port, ServerIoMetrics.Transmit);
        }

        if (connection.MessagesReceived > 0 && Messages.Enabled)
        {
            Messages.Add(connection.MessagesReceived, _service, Transport, _port);
        }
    }

    public void Rejected()
    {
        if (RejectedConnections.Enabled)
        {
            RejectedConnections.Add(1, _service, Transport, _port);
        }
    }

    public void TlsHandshake(TimeSpan duration, string? errorType)
    {
        if (!TlsHandshakeDuration.Enabled)
        {
            return;
        }

        if (errorType is null)
        {
            TlsHandshakeDuration.Record(duration.TotalSeconds, _service, Transport, _port);
        }
        else
        {
            TlsHandshakeDuration.Record(duration.TotalSeconds, _service, Transport, _port, new("error.type", errorType));
        }
    }
}
