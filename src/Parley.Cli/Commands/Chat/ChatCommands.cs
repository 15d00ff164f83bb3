using System.CommandLine;
using Parley.Chat;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Udp;

namespace Parley.Cli.Commands.Chat;

/// <summary>The chat over UDP: <c>parley serve chat</c> (the server) and <c>parley chat</c> (the interactive client).</summary>
internal static class ChatCommands
{
    public static Command Serve(CliConsole console)
    {
        var command = new Command(
            "chat",
            "UDP chat server: nicknames, public and private messages, join and leave notices; one text line per datagram, so nc -u can take part (default port 9003)");
        var server = new DatagramServerOptions(ChatProtocol.DefaultPort);
        var history = OptionFactory.Int("--history", "A joining member first gets this many of the last public messages (0: none)", 20, 0, 10_000);
        var memberTimeout = OptionFactory.Duration("--member-timeout", "Drop a member silent for this long and tell the others", TimeSpan.FromSeconds(60));
        var rate = OptionFactory.Int("--rate", "Messages a second each member may send; bursts of twice as many are allowed", 20, 1, 100_000);
        var maxMembers = OptionFactory.Int("--max-members", "The most members at once", 1000, 1, 1_000_000);
        var maxPerAddress = OptionFactory.Int(
            "--max-members-per-address", "The most members from one IP address at once, any port (0: unlimited; people behind one NAT share an address)", 32, 0, 1_000_000);
        var ratePerAddress = OptionFactory.Int(
            "--rate-per-address", "Messages a second all the members from one IP address may send together; bursts of twice as many (0: no limit)", 100, 0, 1_000_000);
        var relay = new RelayOption();
        var maxBacklog = OptionFactory.Int(
            "--max-backlog", "The most datagrams waiting to be sent; past half of it, public messages from an address holding more than its share are shed (0: no bound)", 10_000, 0, 100_000_000);
        server.AddTo(command);
        command.Add(history);
        command.Add(memberTimeout);
        command.Add(rate);
        command.Add(maxMembers);
        command.Add(maxPerAddress);
        command.Add(ratePerAddress);
        command.Add(maxBacklog);
        relay.AddTo(command);
        command.SetAction(result =>
        {
            var relayUrl = relay.Url(result);
            var options = server.Read(result, console);
            var chat = new ChatServerOptions
            {
                History = result.GetValue(history),
                MemberTimeout = result.GetValue(memberTimeout),
                Rate = result.GetValue(rate),
                Burst = 2 * result.GetValue(rate),
                MaxMembers = result.GetValue(maxMembers),
                MaxMembersPerAddress = result.GetValue(maxPerAddress),
                RatePerAddress = result.GetValue(ratePerAddress),
                MaxBacklog = result.GetValue(maxBacklog),
            };
            return ServerRunner.RunAsync(
                console,
                server.Logging.Read(result),
                server.Monitoring.Read(result),
                logs => relay.ConnectAsync(relayUrl, result, chat, logs),
                (logs, connected) => new UdpServer(options, new ChatHandler(chat, logs, timeProvider: null, relay: connected), logs),
                connected => connected is null ? null : connected.CheckAsync);
        });
        return command;
    }

    public static Command Client(CliConsole console)
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
