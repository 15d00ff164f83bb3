using System.Diagnostics.Metrics;
using Parley.Net;
using Parley.Shared;

namespace Parley.Udp;

/// <summary>
/// The instruments of every UDP server: datagrams (<c>parley.server.datagrams</c>) and bytes (<c>parley.server.io</c>,
/// shared with TCP) received and sent, with <c>parley.service</c>, <c>network.transport</c> <c>udp</c> and
/// <c>server.port</c>. One check of a field per datagram when nothing listens.
/// </summary>
internal sealed class UdpMetrics
{
    private static readonly Counter<long> Datagrams = ParleyMeter.Instance.CreateCounter<long>(
        "parley.server.datagrams", "{datagram}", "UDP datagrams received and sent (network.io.direction)");

    private static readonly KeyValuePair<string, object?> Transport = new("network.transport", "udp");

    private readonly KeyValuePair<string, object?> _service;
    private readonly KeyValuePair<string, object?> _port;

    public UdpMetrics(string service, int port)
    {
        _service = new("parley.service", service);
        _port = new("server.port", port);
    }

    public void Received(int bytes) => Count(1, bytes, ServerIoMetrics.Receive);

    /// <summary><paramref name="datagrams"/> datagrams sent, of <paramref name="bytes"/> bytes together.</summary>
    public void Sent(int datagrams, long bytes) => Count(datagrams, bytes, ServerIoMetrics.Transmit);

    private void Count(int datagrams, long bytes, KeyValuePair<string, object?> direction)
    {
        if (Datagrams.Enabled)
        {
            Datagrams.Add(datagrams, _service, Transport, _port, direction);
        }

        if (ServerIoMetrics.Io.Enabled)
        {
            ServerIoMetrics.Io.Add(bytes, _service, Transport, _port, direction);
        }
    }
}
