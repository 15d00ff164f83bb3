using System.CommandLine;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Echo;
using Parley.Udp;

namespace Parley.Cli.Commands.Echo;

/// <summary>
/// <c>parley serve echo --udp</c>: RFC 862 over UDP on the echo server's port, with the listening options, prompts,
/// logging and stop of the other servers, and <c>--rate-per-address</c>.
/// </summary>
internal sealed class UdpEchoServe
{
    private readonly UdpSwitch _switch;

    private readonly Option<int> _rate = OptionFactory.Int(
        "--rate-per-address",
        "With --udp: datagrams a second each sender address may have echoed, in bursts of up to twice as many; the excess is dropped, counted and logged once a second (0: no limit)",
        1000, 0, 10_000_000);

    public UdpEchoServe()
    {
        // --raw is accepted: the UDP echo is always plain RFC 862.
        var allowed = UdpSwitch.NamesOf(new DatagramServerOptions(0).AddTo).Append("--raw");
        _switch = new UdpSwitch(
            "Serve RFC 862 echo over UDP instead of TCP: every datagram goes back whole to its sender (TCP-only options are refused)", allowed);
        _switch.AddUdpOnly(_rate);
    }

    public void AddTo(Command command) => _switch.AddTo(command);

    public bool IsOn(ParseResult result) => _switch.IsOn(result);

    public Task<int> RunAsync(ParseResult result, ServerOptions server, CliConsole console)
    {
        // The listening options are the same for TCP and UDP; every TCP-only one was refused by the switch.
        var tcp = server.Read(result, console);
        var options = new UdpServerOptions { Address = tcp.Address, Port = tcp.Port, PortTries = tcp.PortTries };
        var rate = result.GetValue(_rate);
        var echo = new UdpEchoOptions { RatePerAddress = rate == 0 ? null : rate };
        return ServerRunner.RunAsync(console, server.Logging.Read(result), server.Monitoring.Read(result), logs => new UdpServer(options, new UdpEchoHandler(echo, logs), logs));
    }
}
