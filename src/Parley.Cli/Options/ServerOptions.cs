using System.CommandLine;
using Parley.Tcp;

namespace Parley.Cli.Options;

/// <summary>The options every TCP server takes: where to listen, who may stop it, idle clients, TLS, logging.</summary>
internal sealed class ServerOptions
{
    private readonly ListenEndpointOptions _endpoint;

    private readonly Option<string> _allowStop = OptionFactory.Choice(
        "--allow-stop", "Which clients may stop the server with 'stop': local (loopback addresses only), any, or none",
        "local", "local", "any", "none");

    private readonly Option<Duration?> _idleTimeout;

    public ServerOptions(int builtInPort, TimeSpan? defaultIdleTimeout = null)
    {
        _endpoint = new ListenEndpointOptions(builtInPort, "TCP");
        _idleTimeout = new Option<Duration?>("--idle-timeout")
        {
            Description = "Close a client that has sent nothing for this long, e.g. 30s or 5m, or off"
                + (defaultIdleTimeout is null ? " (default: off)" : ""),
            HelpName = "duration",
            DefaultValueFactory = _ => defaultIdleTimeout is { } d ? new Duration(d) : null,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                if (DurationParser.TryParse(text, out var duration, out var reason))
                {
                    return new Duration(duration);
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
        _endpoint.AddTo(command);
        command.Add(_allowStop);
        command.Add(_idleTimeout);
        Tls.AddTo(command);
        Logging.AddTo(command);
    }

    /// <summary>Reads the options, asking for the port at a terminal when it was not given.</summary>
    public TcpServerOptions Read(ParseResult result, CliConsole console)
    {
        var (address, port, tries) = _endpoint.Read(result, console);
        return new TcpServerOptions
        {
            Address = address,
            Port = port,
            PortTries = tries,
            Transform = Tls.Read(result, address),
            StopPolicy = Enum.Parse<StopPolicy>(result.GetValue(_allowStop)!, ignoreCase: true),
            IdleTimeout = result.GetValue(_idleTimeout)?.Value,
        };
    }
}
