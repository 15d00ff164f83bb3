using System.CommandLine;
using Parley.Cli.Logging;
using Parley.Udp;

namespace Parley.Cli.Options;

/// <summary>
/// The options a UDP server takes: where to listen, prompts, logging. (No <c>--allow-stop</c>, <c>--idle-timeout</c>
/// or TLS: a UDP server has no connections to stop it, to idle or to encrypt.)
/// </summary>
internal sealed class DatagramServerOptions(int builtInPort)
{
    private readonly ListenEndpointOptions _endpoint = new(builtInPort, "UDP");

    public LoggingOptions Logging { get; } = new();

    public MonitoringOptions Monitoring { get; } = new();

    public void AddTo(Command command)
    {
        _endpoint.AddTo(command);
        Logging.AddTo(command);
        Monitoring.AddTo(command);
    }

    /// <summary>Reads the options, asking for the port at a terminal when it was not given.</summary>
    public UdpServerOptions Read(ParseResult result, CliConsole console)
    {
        var (address, port, tries) = _endpoint.Read(result, console);
        return new UdpServerOptions { Address = address, Port = port, PortTries = tries };
    }
}
