using Parley.Chat;
using Parley.Cli.Terminal;
using Parley.Shared;

namespace Parley.Cli.Hosting;

/// <summary>
/// One <c>parley chat</c> session: what the user types goes to the server, what the server says is shown as it
/// arrives. Ends with 0 when the user leaves (<c>/leave</c>, <c>/quit</c>, <c>exit</c>, end of input); with a
/// <see cref="CliException"/> when the server stops, becomes unreachable or no longer takes the client.
/// </summary>
internal sealed class ChatSession(ChatClient client, ChatScreen screen, TimeSpan answerTimeout)
{
    public const string Help = """
        Type a line and press Enter to say it to everyone. Commands:
          /msg NICK TEXT    a private message to NICK
          /who              who is here
          /nick NEW         change your nickname
          /ping             measure the round trip to the server
          /leave, /quit     leave the chat (so do exit and Ctrl+D on an empty line)
          /help             this list
          //TEXT            say a text that starts with /
        """;

    private readonly List<Task> _background = [];
    private string? _ended;

    /// <param name="input">Where lines come from.</param>
    /// <param name="settleBeforeLeaving">
    /// Before leaving, wait (up to the answer timeout) until the server has answered everything sent: for piped
    /// input, whose last lines would otherwise leave before their answers arrive.
    /// </param>
    /// <param name="interrupted">Ctrl+C or SIGTERM.</param>
    public async Task<int> RunAsync(IChatInput input, bool settleBeforeLeaving, CancellationToken interrupted)
    {
        var printing = PrintAsync();
        var typing = TypeAsync(input, interrupted);
        try
        {
            return await RunAsync(typing, printing, settleBeforeLeaving, interrupted);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            // Ctrl+C: still say goodbye (one datagram), so the others see "left" rather than "timed out".
            Observe(typing);
            screen.HideInput();
            await client.LeaveAsync(CancellationToken.None);
            throw new CliException("interrupted", ExitCodes.Interrupted);
        }
        catch (Exception e) when (StandardOutput.IsBroken(e))
        {
            // Nobody reads the chat any more (| head ended): leave, so the others see "left" rather than "timed out".
            Observe(typing);
            await client.LeaveAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task<int> RunAsync(Task<bool> typing, Task printing, bool settleBeforeLeaving, CancellationToken interrupted)
    {
        var first = await Task.WhenAny(typing, printing, Task.Delay(Timeout.Infinite, interrupted));
        interrupted.ThrowIfCancellationRequested();
        if (first == typing && await typing)
        {
            if (settleBeforeLeaving)
            {
                await client.PingAsync(answerTimeout, interrupted);
            }

            await client.LeaveAsync(interrupted);
            await printing;
            await Task.WhenAll(_background);
            screen.HideInput();
            return ExitCodes.Ok;
        }

        // The session ended from the server's side; the input may be blocked on a terminal that cannot be interrupted.
        Observe(typing);
        await printing;
        screen.HideInput();
        throw new CliException(_ended ?? "the chat session ended", ExitCodes.Failure);
    }

    /// <summary>Shows the session's events; completes when the session has ended.</summary>
    private async Task PrintAsync()
    {
        await foreach (var e in client.Events.ReadAllAsync())
        {
            switch (e.Kind)
            {
                case ChatEventKind.Message:
                    screen.WriteChat(e.Text);
                    break;
                case ChatEventKind.Ended:
                    _ended = e.Text;
                    break;
                default:
                    screen.WriteService($"parley: {e.Text}");
                    break;
            }
        }
    }

    /// <summary>Sends what the user types; true when the user left, false when the session ended under it.</summary>
    private async Task<bool> TypeAsync(IChatInput input, CancellationToken interrupted)
    {
        while (await input.ReadLineAsync(interrupted) is { } line)
        {
            var command = line.Trim();
            if (command.Length == 0)
            {
                continue;
            }

            switch (command.ToLowerInvariant())
            {
                case "/leave" or "/quit" or "exit":
                    return true;
                case "/help":
                    screen.WriteService(Help.TrimEnd());
                    continue;
                case var ping when ping == "/ping" || ping.StartsWith("/ping ", StringComparison.Ordinal):
                    _background.Add(PingAsync(interrupted));
                    continue;
                default:
                    break;
            }

            if (ChatText.Problem(line) is { } problem)
            {
                screen.WriteService($"parley: not sent: {problem}");
                continue;
            }

            if (!await client.SendAsync(line, interrupted))
            {
                return false;
            }
        }

        return true;
    }

    private async Task PingAsync(CancellationToken interrupted)
    {
        try
        {
            if (await client.PingAsync(answerTimeout, interrupted) is { } roundTrip)
            {
                screen.WriteChat($"/pong from {client.Target} in {Durations.Format(roundTrip)}");
            }
            else if (client.EndReason == ChatEndReason.None)
            {
                screen.WriteService($"parley: no /pong from {client.Target} within {Durations.Format(answerTimeout)}");
            }
        }
        catch (OperationCanceledException)
        {
            // Interrupted: the session is ending anyway.
        }
    }

    private static void Observe(Task task) => _ = task.ContinueWith(
        static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);
}
