using System.CommandLine;
using System.Net;
using Parley.Cli.Prompts;
using Parley.Tcp;

namespace Parley.Cli.Options;

/// <summary>The options every TCP server takes: where to listen, who may stop it, idle clients, logging.</summary>
internal sealed class ServerOptions
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

    private readonly Option<string> _allowStop = OptionFactory.Choice(
        "--allow-stop", "Which clients may stop the server with 'stop': local (loopback addresses only), any, or none",
        "local", "local", "any", "none");

    private readonly Option<TimeSpan?> _idleTimeout;

    public ServerOptions(int builtInPort, TimeSpan? defaultIdleTimeout = null)
    {
        _builtInPort = builtInPort;
        _port = new Option<int>("--port", "-p")
        {
            Description = $"Port to listen on; 0 takes any free port (${EnvironmentDefaults.PortVariable}, when set, replaces the default)",
            HelpName = "port",
            DefaultValueFactory = result => EnvironmentDefaults.Port(builtInPort, result, min: 0),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (PortParser.TryParse(text, 0, out var port, out var reason))
                {
                    return port;
                }

                result.AddError($"--port: {reason}");
                return 0;
            },
        };
        _idleTimeout = new Option<TimeSpan?>("--idle-timeout")
        {
            Description = "Close a client that has sent nothing for this long, e.g. 30s or 5m (default: "
                + (defaultIdleTimeout is { } d ? OptionFactory.Describe(d) : "off") + ")",
            HelpName = "duration",
            DefaultValueFactory = _ => defaultIdleTimeout,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                if (DurationParser.TryParse(text, out var duration, out var reason))
                {
                    return duration;
                }

                result.AddError($"--idle-timeout: {reason}");
                return null;
            },
        };
    }

    public LoggingOptions Logging { get; } = new();

    public TlsServerOptions Tls { get; } = new();

    public void AddTo(Command command)
    {
        command.Add(_host);
        command.Add(_port);
        command.Add(_portTries);
        command.Add(_noPrompt);
        command.Add(_allowStop);
        command.Add(_idleTimeout);
        Tls.AddTo(command);
        Logging.AddTo(command);
    }

    /// <summary>Reads the options, asking for the port at a terminal when it was not given.</summary>
    public TcpServerOptions Read(ParseResult result, CliConsole console)
    {
        var port = result.GetValue(_port);
        if (console.MayPrompt(result.GetValue(_noPrompt)) && result.GetResult(_port) is null or { Implicit: true })
        {
            port = new Prompter(console.Prompts).AskPort("Port to listen on", port == 0 ? _builtInPort : port);
        }

        var address = result.GetValue(_host);
        return new TcpServerOptions
        {
            Address = address,
            Transform = Tls.Read(result, address),
            Port = port,
            PortTries = result.GetValue(_portTries),
            StopPolicy = Enum.Parse<StopPolicy>(result.GetValue(_allowStop)!, ignoreCase: true),
            IdleTimeout = result.GetValue(_idleTimeout),
        };
    }
}
