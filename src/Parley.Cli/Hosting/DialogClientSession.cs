using Microsoft.Extensions.Logging;
using Parley.Cli.Dialog;
using Parley.Dialog;
using Parley.Net;
using Parley.Tcp;

namespace Parley.Cli.Hosting;

/// <summary>Runs the dialog client at the console (ident and auth) and maps how it ended to an exit code.</summary>
internal static class DialogClientSession
{
    public static async Task<int> RunAsync(
        CliConsole console, ClientConnection connection, DialogClientOptions options, ILogger logger, CancellationToken cancellationToken,
        Action<DialogClientResult>? ended = null)
    {
        var result = await DialogClient.RunAsync(connection, new ConsoleDialogUser(console), options, logger, cancellationToken);

        ended?.Invoke(result);
        var target = HostPort.Format(connection.Host, connection.Port);
        return result.Outcome switch
        {
            DialogClientOutcome.Exited or DialogClientOutcome.Stopped or DialogClientOutcome.LoggedOut or DialogClientOutcome.InputEnded => ExitCodes.Ok,
            DialogClientOutcome.Dismissed => throw new CliException($"{target} ended the conversation: {result.Bye}"),
            DialogClientOutcome.AbandonedAtQuestion => throw new CliException(
                $"the input ended before the server's question was answered; {target} closed the connection"),
            _ => throw new CliException($"connection to {target} ended: {DialogClient.Describe(result.Outcome)}"),
        };
    }
}
