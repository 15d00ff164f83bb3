using System.Net;
using Microsoft.Extensions.Logging;
using Parley.Cli.Logging;
using Parley.Cli.Options;
using Parley.Hosting;
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
    /// besides "is it stopping": the check of the store the server depends on (none for SQLite).
    /// </summary>
    public static Task<int> RunAsync(
        CliConsole console, LoggingSettings logging, MonitoringSettings monitoring, Func<ILoggerFactory, IServer> createServer,
        HealthProbe? health = null) =>
        RunAsync(console, logging, monitoring, _ => Task.FromResult<IAsyncDisposable?>(null), (logs, _) => createServer(logs), _ => health);

    /// <summary>
    /// Runs the server made by <paramref name="createServer"/> with what <paramref name="open"/> opened first (a chat
    /// relay): it fails before any port opens, and is disposed after the server has stopped, so the server's last words
    /// still go through it. <paramref name="health"/> gives <c>/healthz</c> its check of that resource.
    /// </summary>
    public static async Task<int> RunAsync<TResource>(
        CliConsole console, LoggingSettings logging, MonitoringSettings monitoring,
        Func<ILoggerFactory, Task<TResource?>> open, Func<ILoggerFactory, TResource?, IServer> createServer,
        Func<TResource?, HealthProbe?> health)
        where TResource : class, IAsyncDisposable
    {
        // Stop sources before the first log line: Ctrl+C, SIGTERM or stop at any moment after the questions stops the
        // server cleanly; one that comes before it listens is kept and acted on as soon as it does.
        using var stop = StopSources.SignalsAndConsole(console.In, console.Error);
        using var loggerFactory = LoggingSetup.Create(logging);
        stop.BeforeForcedExit = loggerFactory.Dispose;
        await using var resource = await open(loggerFactory);
        await using var server = createServer(loggerFactory, resource);
        // Before the server binds: a busy metrics port fails before any service port opens.
        await using var watch = ServerMonitoring.Start(monitoring, loggerFactory, server, health(resource));
        server.Start();

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
