using Microsoft.Extensions.Logging;
using Parley.Chat;
using Parley.Cli.Logging;
using Parley.Cli.Prompts;
using Parley.Cli.Terminal;
using Spectre.Console;

namespace Parley.Cli.Hosting;

/// <summary>
/// Runs <c>parley chat</c>: logging, joining (asking for another nickname at a terminal when the one given is
/// refused), then the session, with a line editor when the keyboard is a terminal and plain lines otherwise.
/// </summary>
internal static class ChatRunner
{
    public static async Task<int> RunAsync(
        CliConsole console, string host, int port, string nickname, bool mayPrompt, ChatClientOptions options, LoggingSettings logging)
    {
        // At a terminal, everything written to standard error (the logger's lines too, from its own thread) goes
        // through the screen from the start, so that nothing interleaves with the input line or with other lines.
        var atTerminal = !console.IsInputRedirected && !(console.IsErrorRedirected && console.IsOutputRedirected);
        var screen = atTerminal
            ? new ChatScreen(console.Out, console.Error, console.IsErrorRedirected ? console.Out : console.Error, CliConsole.TerminalWidth)
            : new ChatScreen(console.Out, console.Error);
        using var routed = atTerminal ? CliConsole.RouteStandardError(new ScreenErrorWriter(screen)) : null;
        try
        {
            using var loggerFactory = LoggingSetup.Create(logging);
            var logger = loggerFactory.CreateLogger("Parley.Client");
            using var interrupted = new CancellationTokenSource();
            using var stop = StopSources.Signals(_ => interrupted.Cancel());
            try
            {
                await using var client = await JoinAsync(console, screen, host, port, nickname, mayPrompt, options, logger, interrupted.Token);
                var session = new ChatSession(client, screen, options.JoinTimeout);
                if (!atTerminal)
                {
                    return await session.RunAsync(new PipedInput(console.In), settleBeforeLeaving: true, interrupted.Token);
                }

                screen.WriteService("Type /help for the commands; /quit leaves.");
                var input = new TerminalInput(console.Prompts.Input, screen, () => $"{client.Nickname}> ");
                return await session.RunAsync(input, settleBeforeLeaving: false, interrupted.Token);
            }
            catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
            {
                throw new CliException("interrupted", ExitCodes.Interrupted);
            }
        }
        finally
        {
            screen.HideInput();
        }
    }

    private static async Task<ChatClient> JoinAsync(
        CliConsole console, ChatScreen screen, string host, int port, string nickname, bool mayPrompt, ChatClientOptions options,
        ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await ChatClient.JoinAsync(host, port, nickname, options, logger, cancellationToken: cancellationToken);
            }
            catch (ChatJoinException e) when (e.Failure == ChatJoinFailure.Refused && mayPrompt)
            {
                screen.WriteService($"parley: {e.Message}");
                nickname = AskNickname(console, null);
            }
        }
    }

    /// <summary>Asks for a nickname until a valid one is given; end of input gives up.</summary>
    public static string AskNickname(CliConsole console, string? suggestion)
    {
        var prompter = new Prompter(console.Prompts);
        while (true)
        {
            var answer = prompter.AskText("Nickname", suggestion)?.Trim();
            if (string.IsNullOrEmpty(answer))
            {
                throw new CliException("no nickname given: use --nick NICK", ExitCodes.Usage);
            }

            if (Nicknames.Problem(answer) is not { } problem)
            {
                return answer;
            }

            console.Prompts.WriteLine(problem);
            suggestion = null;
        }
    }
}
