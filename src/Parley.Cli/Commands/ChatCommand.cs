using System.CommandLine;
using Parley.Chat;
using Parley.Cli.Hosting;
using Parley.Cli.Options;

namespace Parley.Cli.Commands;

/// <summary><c>parley chat</c>: the interactive chat client over UDP.</summary>
internal static class ChatCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command(
            "chat",
            "Chat client over UDP: joins a 'parley serve chat' server; type to talk, /help for the commands, /quit to leave (default port 9003)");
        var options = new DatagramClientOptions(ChatProtocol.DefaultPort, "How long to wait for each server address to answer /join");
        var nick = new Option<string?>("--nick", "-n")
        {
            Description = $"Your nickname: {Nicknames.Rule} (asked for at a terminal when not given)",
            HelpName = "nick",
            Validators =
            {
                result =>
                {
                    var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                    if (Nicknames.Problem(text) is { } problem)
                    {
                        result.AddError($"--nick: {problem}");
                    }
                },
            },
        };
        var pingInterval = OptionFactory.Duration("--ping-interval", "Send a keep-alive /ping this often", TimeSpan.FromSeconds(20));
        var serverTimeout = OptionFactory.Duration(
            "--server-timeout", "Say 'server not responding' after this long without a word from the server", TimeSpan.FromSeconds(30));
        command.Add(nick);
        options.AddTo(command);
        command.Add(pingInterval);
        command.Add(serverTimeout);
        command.SetAction(result =>
        {
            var (host, port, timeout) = options.Read(result, console);
            var mayPrompt = options.MayPrompt(result, console);
            var nickname = result.GetValue(nick) ?? (mayPrompt
                ? ChatRunner.AskNickname(console, Nicknames.IsValid(Environment.UserName) ? Environment.UserName : null)
                : throw new CliException("--nick is needed when standard input is not a terminal (or with --no-prompt)", ExitCodes.Usage));
            var client = new ChatClientOptions
            {
                JoinTimeout = timeout,
                PingInterval = result.GetValue(pingInterval),
                ServerTimeout = result.GetValue(serverTimeout),
                LocalAddress = options.Source(result),
                AddressFamily = options.Source(result)?.AddressFamily,
            };
            return ChatRunner.RunAsync(console, host, port, nickname, mayPrompt, client, options.Logging.Read(result));
        });
        return command;
    }
}
