using Microsoft.Extensions.Logging;
using Parley.Cli.Logging;
using Parley.Tcp;

namespace Parley.Cli.Hosting;

/// <summary>Runs a TCP client session: connect with a clear error line on failure, run, map the end to an exit code.</summary>
internal static class ClientRunner
{
    public static async Task<int> RunAsync(
        string host, int port, ConnectOptions connect, LoggingSettings logging,
        Func<ClientConnection, ILogger, CancellationToken, Task<int>> session)
    {
        using var loggerFactory = LoggingSetup.Create(logging);
        var logger = loggerFactory.CreateLogger("Parley.Client");
        using var interrupted = new CancellationTokenSource();
        using var stop = StopSources.Signals(_ => interrupted.Cancel());
        try
        {
            await using var connection = await TcpConnector.ConnectAsync(host, port, connect, logger, interrupted.Token);
            return await session(connection, logger, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            throw new CliException("interrupted", ExitCodes.Interrupted);
        }
    }
}
