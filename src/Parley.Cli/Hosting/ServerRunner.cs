using System.Net;
using Microsoft.Extensions.Logging;
using Parley.Cli.Logging;
using Parley.Cli.Options;
using Parley.Hosting;
using Parley.Net;
using Parley.Tcp;

namespace Parley.Cli.Hosting;

/// <summary>
/// Runs a server, TCP or UDP, in the foreground: logging first (so a bad log path fails before any port opens), then
/// bind, the <c>Listening on</c> line on standard output, and the stop sources; exits 0 once stopped.
/// </summary>
internal static class ServerRunner
{
    /// <summary>Runs a TCP server serving each connection with the handler made by <paramref name="createHandler"/>.</summary>
    public static Task<int> RunAsync(
        CliConsole console, TcpServerOptions options, LoggingSettings logging, MonitoringSettings monitoring,
        Func<ILoggerFactory, ITcpConnectionHandler> createHandler, HealthProbe? health = null) =>
        RunAsync(console, logging, monitoring, logs => new TcpServer(options, createHandler(logs), logs), health);

    /// <summary>
    /// Runs the server made by <paramref name="createServer"/>. <paramref name="health"/> is what <c>/healthz</c> asks
    /// besides "is it stopping": the check of the store or relay the server depends on (none for SQLite or one chat
    /// server on its own).
    /// </summary>
    public static async Task<int> RunAsync(
        CliConsole console, LoggingSettings logging, MonitoringSettings monitoring, Func<ILoggerFactory, IServer> createServer,
        HealthProbe? health = null)
    {
        // Stop sources before the first log line: Ctrl+C, SIGTERM or stop at any moment after the questions stops the
        // server cleanly; one that comes before it listens is kept and acted on as soon as it does.
        using var stop = StopSources.SignalsAndConsole(console.In, console.Error);
        using var loggerFactory = LoggingSetup.Create(logging);
        stop.BeforeForcedExit = loggerFactory.Dispose;
        await using var server = createServer(loggerFactory);
        // Before the server binds: a busy metrics port fails before any service port opens. Disposed after the server.
        await using var watch = ServerMonitoring.Start(monitoring, loggerFactory, server, health);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is ListenException or Tls.TlsException)
        {
            throw new CliException(e.Message);
        }

        if (!stop.Requested)
        {
            await console.Out.WriteLineAsync(ListeningLine(server.EndPoint, server.ReachableAt));
            if (watch.MetricsEndPoint is { } metrics)
            {
                await console.Out.WriteLineAsync($"Metrics on http://{metrics}/metrics");
            }

            await console.Out.FlushAsync();
        }

        stop.Attach(server.RequestStop);
        await server.Completion;
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>Listening on [::]:9000</c>, and for a wildcard address the addresses it is reachable at; the first
    /// address and port are what scripts read.
    /// </summary>
    public static string ListeningLine(IPEndPoint endPoint, IReadOnlyList<IPEndPoint> reachable) =>
        reachable.Count == 1 && reachable[0].Equals(endPoint)
            ? $"Listening on {endPoint}"
            : $"Listening on {endPoint} (reachable at {string.Join(", ", reachable)})";
}
