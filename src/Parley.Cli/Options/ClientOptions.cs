using System.CommandLine;
using Parley.Cli.Prompts;
using Parley.Tcp;

namespace Parley.Cli.Options;

/// <summary>The options every TCP client takes: where to connect, how long to wait, logging.</summary>
internal sealed class ClientOptions
{
    private readonly int _builtInPort;

    private readonly Option<string> _host = new("--host", "-H")
    {
        Description = $"Server host name or address; every address it resolves to is tried in turn (${EnvironmentDefaults.HostVariable}, when set, replaces the default)",
        HelpName = "host",
        DefaultValueFactory = _ => EnvironmentDefaults.Host("localhost"),
    };

    private readonly Option<int> _port;

    private readonly Option<TimeSpan> _connectTimeout = OptionFactory.Duration(
        "--connect-timeout", "How long to wait for each address to answer", TimeSpan.FromSeconds(5));

    private readonly Option<bool> _noPrompt = new("--no-prompt")
    {
        Description = "Never ask questions; use the defaults and options as given (no questions are asked anyway when standard input is not a terminal)",
    };

    public ClientOptions(int builtInPort)
    {
        _builtInPort = builtInPort;
        _port = new Option<int>("--port", "-p")
        {
            Description = $"Server port (${EnvironmentDefaults.PortVariable}, when set, replaces the default)",
            HelpName = "port",
            DefaultValueFactory = result => EnvironmentDefaults.Port(builtInPort, result),
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (PortParser.TryParse(text, 1, out var port, out var reason))
                {
                    return port;
                }

                result.AddError($"--port: {reason}");
                return 0;
            },
        };
    }

    public LoggingOptions Logging { get; } = new();

    public TlsClientOptionSet Tls { get; } = new();

    public void AddTo(Command command)
    {
        command.Add(_host);
        command.Add(_port);
        command.Add(_connectTimeout);
        command.Add(_noPrompt);
        Tls.AddTo(command);
        Logging.AddTo(command);
    }

    /// <summary>Reads host and port, asking for each one not given when at a terminal.</summary>
    public (string Host, int Port, ConnectOptions Connect) Read(ParseResult result, CliConsole console)
    {
        var host = result.GetValue(_host) ?? "localhost";
        var port = result.GetValue(_port);
        var mayPrompt = console.MayPrompt(result.GetValue(_noPrompt));
        if (mayPrompt)
        {
            var prompter = new Prompter(console.Prompts);
            if (result.GetResult(_host) is null or { Implicit: true })
            {
                host = prompter.AskHost("Server host", host, HostChecks.Resolves);
            }

            if (result.GetResult(_port) is null or { Implicit: true })
            {
                port = prompter.AskPort("Server port", port == 0 ? _builtInPort : port);
            }
        }

        var timeout = result.GetValue(_connectTimeout);
        return (host, port, new ConnectOptions { Timeout = timeout, Tls = Tls.Read(result, console, mayPrompt, timeout) });
    }
}
