using System.CommandLine;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Echo;

namespace Parley.Cli.Commands;

/// <summary><c>parley client [echo]</c>: the interactive or piped clients.</summary>
internal static class ClientCommand
{
    public static Command Create(CliConsole console)
    {
        var client = new Command("client", "Connect to a Parley server; without a subcommand, the echo client");
        ConfigureEcho(client, console);
        var echo = new Command("echo", "Echo client: sends each line of standard input, prints what comes back on standard output (default port 9000)");
        ConfigureEcho(echo, console);
        client.Add(echo);
        client.Add(IdentCommands.Client(console));
        client.Add(AuthCommands.Client(console));
        return client;
    }

    private static void ConfigureEcho(Command command, CliConsole console)
    {
        var options = new ClientOptions(9000);
        var modes = new EchoModeOptions("Send 'exit' and 'stop' as plain data, for RFC 862 echo services");
        options.AddTo(command);
        modes.AddTo(command);
        command.SetAction(result =>
        {
            var (host, port, connect) = options.Read(result, console);
            var mode = modes.Mode(result);
            var max = modes.MaxMessageBytes(result);
            return ClientRunner.RunAsync(host, port, connect, options.Logging.Read(result), async (connection, logger, cancellation) =>
            {
                var result = await EchoClient.RunAsync(connection, console.In, console.StandardOutput, mode, logger, max, cancellation);
                return result.Succeeded
                    ? ExitCodes.Ok
                    : throw new CliException($"connection to {Tcp.TcpConnector.HostPort(host, port)} ended: {result.Describe()}");
            });
        });
    }
}
