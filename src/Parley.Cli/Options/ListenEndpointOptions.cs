using System.CommandLine;
using System.Net;
using Parley.Cli.Prompts;

namespace Parley.Cli.Options;

/// <summary>Where a server listens, TCP or UDP: <c>--host</c>, <c>--port</c> (asked at a terminal), <c>--port-tries</c>, <c>--no-prompt</c>.</summary>
internal sealed class ListenEndpointOptions
{
    private readonly int _builtInPort;

    private readonly Option<IPAddress?> _host = new("--host")
    {
        Description = "Bind only this address (default: every interface, IPv4 and IPv6)",
        HelpName = "address",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (HostAddressParser.TryParse(text, out var address, out var reason))
            {
                return address;
            }

            result.AddError(reason);
            return null;
        },
    };

    private readonly Option<int> _port;

    private readonly Option<int> _portTries = OptionFactory.Int(
        "--port-tries", "When the port is in use, try the next ones, up to this many ports in all", 20, 1, 1000);

    private readonly Option<bool> _noPrompt = new("--no-prompt")
    {
        Description = "Never ask questions; use the defaults and options as given (no questions are asked anyway when standard input is not a terminal)",
    };

    /// <param name="builtInPort">The service's default port.</param>
    /// <param name="transport">"TCP" or "UDP", for the help text.</param>
    public ListenEndpointOptions(int builtInPort, string transport)
    {
        _builtInPort = builtInPort;
        _port = OptionFactory.Port($"{transport} port to listen on; 0 takes any free port", 0, builtInPort);
    }

    public void AddTo(Command command)
    {
        command.Add(_host);
        command.Add(_port);
        command.Add(_portTries);
        command.Add(_noPrompt);
    }

    /// <summary>Reads the options, asking for the port at a terminal when it was not given.</summary>
    public (IPAddress? Address, int Port, int PortTries) Read(ParseResult result, CliConsole console)
    {
        var port = result.GetValue(_port);
        if (console.MayPrompt(result.GetValue(_noPrompt)) && result.GetResult(_port) is null or { Implicit: true })
        {
            port = new Prompter(console.Prompts).AskPort("Port to listen on", port == 0 ? _builtInPort : port);
        }

        return (result.GetValue(_host), port, result.GetValue(_portTries));
    }
}
