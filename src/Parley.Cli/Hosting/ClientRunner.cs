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
            await using var connection = await Connect(host, port, connect, logger, interrupted.Token);
            return await session(connection, logger, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            throw new CliException("interrupted", ExitCodes.Interrupted);
        }
    }

    private static async Task<ClientConnection> Connect(string host, int port, ConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TcpConnector.ConnectAsync(host, port, options, logger, cancellationToken);
        }
        catch (ConnectException e)
        {
            throw new CliException($"{e.Message} ({e.Hint})");
        }
        catch (Tls.TlsException e)
        {
            throw new CliException(e.Message);
        }
    }
}
