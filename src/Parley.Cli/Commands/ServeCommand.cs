using System.CommandLine;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Echo;

namespace Parley.Cli.Commands;

/// <summary><c>parley serve ...</c>: run one of the servers in the foreground.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var serve = new Command("serve", "Run a server in the foreground (stop it with 'stop' on its console, Ctrl+C or SIGTERM)");
        serve.Add(Echo(console));
        serve.Add(IdentCommands.Serve(console));
        serve.Add(AuthCommands.Serve(console));
        serve.Add(ServeChatCommand.Create(console));
        return serve;
    }

    private static Command Echo(CliConsole console)
    {
        var command = new Command(
            "echo", "TCP echo server: sends every byte back; lines 'exit' and 'stop' are commands (default port 9000); with --udp, RFC 862 over UDP");
        var server = new ServerOptions(9000);
        var modes = new EchoModeOptions("Plain RFC 862 echo: no commands at all");
        var framed = new FramedServerOptions();
        var chunk = OptionFactory.Int("--chunk-size", "Read from each client in portions of at most this many bytes", 1024, 1, 16 * 1024 * 1024, "bytes");
        server.AddTo(command);
        modes.AddTo(command);
        framed.AddTo(command);
        command.Add(chunk);
        var udp = new UdpEchoServe();
        udp.AddTo(command);
        command.SetAction(result =>
        {
            if (udp.IsOn(result))
            {
                return udp.RunAsync(result, server, console);
            }

            var options = server.Read(result, console);
            var echo = new EchoOptions
            {
                ChunkSize = result.GetValue(chunk),
                Mode = modes.Mode(result),
                MaxMessageBytes = modes.MaxMessageBytes(result),
                FrameTimeout = framed.FrameTimeout(result),
                MaxBufferedBytes = framed.MaxBuffered(result),
            };
            return ServerRunner.RunAsync(console, options, server.Logging.Read(result), logs => new EchoHandler(echo, logs));
        });
        return command;
    }
}
