using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Echo;

/// <summary>
/// The echo servers' own instruments: the line commands taken, and the datagrams the UDP echo dropped (connections,
/// bytes and datagrams are in <c>TcpMetrics</c> and <c>UdpMetrics</c>).
/// </summary>
internal static class EchoMetrics
{
    private static readonly Counter<long> Commands = ParleyMeter.Instance.CreateCounter<long>(
        "parley.echo.commands", "{command}", "Commands taken by the echo server (parley.command: exit, stop, stop_refused)");

    private static readonly Counter<long> UdpDroppedDatagrams = ParleyMeter.Instance.CreateCounter<long>(
        "parley.echo.udp.dropped_datagrams", "{datagram}",
        "Datagrams the UDP echo did not answer (parley.reason: rate_limit, service_port, own_endpoint)");

    public static void Exit() => Add("exit");

    public static void UdpDropped(string reason)
    {
        if (UdpDroppedDatagrams.Enabled)
        {
            UdpDroppedDatagrams.Add(1, new KeyValuePair<string, object?>("parley.reason", reason));
        }
    }

    public static void Stop(bool accepted) => Add(accepted ? "stop" : "stop_refused");

    private static void Add(string command)
    {
        if (Commands.Enabled)
        {
            Commands.Add(1, new KeyValuePair<string, object?>("parley.command", command));
        }
    }
}
