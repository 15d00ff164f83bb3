using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Echo;

/// <summary>The echo server's own instrument: the line commands it took (the TCP ones are in <c>TcpMetrics</c>).</summary>
internal static class EchoMetrics
{
    private static readonly Counter<long> Commands = ParleyMeter.Instance.CreateCounter<long>(
        "parley.echo.commands", "{command}", "Commands taken by the echo server (parley.command: exit, stop, stop_refused)");

    public static void Exit() => Add("exit");

    public static void Stop(bool accepted) => Add(accepted ? "stop" : "stop_refused");

    private static void Add(string command)
    {
        if (Commands.Enabled)
        {
            Commands.Add(1, new KeyValuePair<string, object?>("parley.command", command));
        }
    }
}
