using Microsoft.Extensions.Logging;
using Parley.Cli.Options;
using Parley.Tcp;

namespace Parley.Cli.Hosting;

/// <summary>
/// Runs a TCP server in the foreground: logging first (so a bad log path fails before any port opens), then bind,
/// the <c>Listening on</c> line on standard output, and the stop sources; exits 0 once stopped.
/// </summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(
        CliConsole console, TcpServerOptions options, LoggingSettings logging, Func<ILoggerFactory, ITcpConnectionHandler> createHandler)
    {
        using var loggerFactory = LoggingSetup.Create(logging);
        var handler = createHandler(loggerFactory);
        var server = new TcpServer(options, handler, loggerFactory);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is ListenException or Tls.TlsException)
        {
            throw new CliException(e.Message);
        }

        await console.Out.WriteLineAsync(ListeningLine(server.EndPoint, server.ReachableAt));
        await console.Out.FlushAsync();
        using (StopSources.SignalsAndConsole(server.RequestStop, console.In, console.Error))
        {
            await server.Completion;
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>Listening on [::]:9000</c>, and for a wildcard address the addresses it is reachable at; the first
    /// address and port are what scripts read.
    /// </summary>
    public static string ListeningLine(System.Net.IPEndPoint endPoint, IReadOnlyList<System.Net.IPEndPoint> reachable) =>
        reachable.Count == 1 && reachable[0].Equals(endPoint)
            ? $"Listening on {endPoint}"
            : $"Listening on {endPoint} (reachable at {string.Join(", ", reachable)})";
}
