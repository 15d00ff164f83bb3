using System.CommandLine;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Echo;
using Parley.Net;

namespace Parley.Cli.Commands.Echo;

/// <summary>The echo service: <c>parley serve echo</c> (TCP, or UDP with --udp) and <c>parley client [echo]</c>.</summary>
internal static class EchoCommands
{
    public static Command Serve(CliConsole console)
    {
        var command = new Command(
            "echo", "TCP echo server: sends every byte back; lines 'exit' and 'stop' are commands (default port 9000); with --udp, RFC 862 over UDP");
        var server = new ServerOptions(9000);
        var modes = new EchoModeOptions("Plain RFC 862 echo: no commands at all");
        var framed = new FramedServerOptions();
        var chunk = OptionFactory.Int("--chunk-size", "Read from each client in portions of at most this many bytes", 1024, 1, 16 * 1024 * 1024, "bytes");
        var engine = OptionFactory.Choice(
            "--engine", "What drives the connections: epoll (Parley's own loops, Linux on x86-64 or Arm64), sockets (the runtime's), "
            + "or auto: epoll where it works, else sockets. TLS connections always use sockets", "auto", "auto", "epoll", "sockets");
        var busyPoll = OptionFactory.Int(
            "--busy-poll", "With the epoll engine: microseconds a loop that has run out of work keeps polling for the next request before it sleeps; "
            + "saves the wake-up (lower latency) for up to a core of CPU per loop while requests come that often (0: off)", 0, 0, 1000, "µs");
        server.AddTo(command);
        modes.AddTo(command);
        framed.AddTo(command);
        command.Add(chunk);
        command.Add(engine);
        command.Add(busyPoll);
        command.Validators.Add(result =>
        {
            if (result.Typed(engine) is { } typed && typed.Equals("epoll", StringComparison.OrdinalIgnoreCase) && !Tcp.TcpServer.EpollSupported)
            {
                result.AddError("--engine epoll needs Linux on x86-64 or Arm64; use --engine sockets (or auto) here");
            }

            if (int.TryParse(result.Typed(busyPoll), out var polling) && polling > 0
                && (!Tcp.TcpServer.EpollSupported || "sockets".Equals(result.Typed(engine), StringComparison.OrdinalIgnoreCase) || server.Tls.IsOn(result)))
            {
                result.AddError("--busy-poll works only on the epoll engine (Linux on x86-64 or Arm64, without --tls and --engine sockets)");
            }
        });
        var udp = new UdpEchoServe();
        udp.AddTo(command);
        command.SetAction(result =>
        {
            InlineSocketContinuations.Enable();
            if (udp.IsOn(result))
            {
                return udp.RunAsync(result, server, console);
            }

            var options = server.Read(result, console);
            options.Engine = result.GetValue(engine) == "sockets" || !Tcp.TcpServer.EpollSupported ? Tcp.TcpEngine.Sockets : Tcp.TcpEngine.Epoll;
            options.BusyPoll = TimeSpan.FromMicroseconds(result.GetValue(busyPoll));
            var echo = new EchoOptions
            {
                ChunkSize = result.GetValue(chunk),
                Mode = modes.Mode(result),
                MaxMessageBytes = modes.MaxMessageBytes(result),
                FrameTimeout = framed.FrameTimeout(result),
                MaxBufferedBytes = framed.MaxBuffered(result),
            };
            return ServerRunner.RunAsync(console, options, server.Logging.Read(result), server.Monitoring.Read(result), logs => new EchoHandler(echo, logs));
        });
        return command;
    }

    /// <summary>The echo client's options and action on <paramref name="command"/>: <c>parley client echo</c>, and <c>parley client</c> with no subcommand.</summary>
    public static Command Client(Command command, CliConsole console)
    {
        ConfigureClient(command, console);
        return command;
    }

    private static void ConfigureClient(Command command, CliConsole console)
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
                    : throw new CliException($"connection to {HostPort.Format(host, port)} ended: {result.Describe()}");
            });
        });
    }
}
