using Microsoft.Extensions.Logging;
using Parley.Cli.Options;
using Parley.Tcp;
using Parley.Udp;

namespace Parley.Cli.Hosting;

/// <summary>
/// Runs a UDP server in the foreground, as <see cref="ServerRunner"/> runs a TCP one: logging first, then bind, the
/// <c>Listening on</c> line on standard output, and the stop sources; exits 0 once stopped.
/// </summary>
internal static class UdpServerRunner
{
    public static async Task<int> RunAsync(
        CliConsole console, UdpServerOptions options, LoggingSettings logging, Func<ILoggerFactory, IUdpDatagramHandler> createHandler)
    {
        using var loggerFactory = LoggingSetup.Create(logging);
        var handler = createHandler(loggerFactory);
        var server = new UdpServer(options, handler, loggerFactory);
        try
        {
            server.Start();
        }
        catch (ListenException e)
        {
            throw new CliException(e.Message);
        }

        await console.Out.WriteLineAsync(ServerRunner.ListeningLine(server.EndPoint, server.ReachableAt));
        await console.Out.FlushAsync();
        using (StopSources.SignalsAndConsole(server.RequestStop, console.In, console.Error))
        {
            await server.Completion;
        }

        return ExitCodes.Ok;
    }
}
