using System.CommandLine;
using Parley.Cli.Prompts;

namespace Parley.Cli.Options;

/// <summary>
/// Where a client connects, TCP or UDP: <c>--host</c> and <c>--port</c> (asked at a terminal), <c>--connect-timeout</c>,
/// <c>--no-prompt</c>, and where from: <c>--source</c>.
/// </summary>
internal sealed class ConnectEndpointOptions
{
    private readonly int _builtInPort;

    private readonly Option<string> _host = new("--host", "-H")
    {
        Description = $"Server host name or address; every address it resolves to is tried in turn (${EnvironmentDefaults.HostVariable}, when set, replaces the default)",
        HelpName = "host",
        DefaultValueFactory = _ => EnvironmentDefaults.Host("localhost"),
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
                {
                    result.AddError("--host: give the server's host name or address, such as localhost or 192.168.1.10");
                }
            },
        },
    };

    private readonly Option<int> _port;

    private readonly Option<Duration> _timeout;

    private readonly SourceAddressOption _source = new();

    private readonly Option<bool> _noPrompt = new("--no-prompt")
    {
        Description = "Never ask questions; use the defaults and options as given (no questions are asked anyway when standard input is not a terminal)",
    };

    /// <param name="builtInPort">The service's default port.</param>
    /// <param name="transport">"TCP" or "UDP", for the help text.</param>
    /// <param name="timeoutDescription">What <c>--connect-timeout</c> waits for.</param>
    public ConnectEndpointOptions(int builtInPort, string transport, string timeoutDescription)
    {
        _builtInPort = builtInPort;
        _timeout = OptionFactory.Duration("--connect-timeout", timeoutDescription, TimeSpan.FromSeconds(5));
        _port = OptionFactory.Port($"Server {transport} port", 1, builtInPort);
    }

    public void AddTo(Command command)
    {
        command.Add(_host);
        command.Add(_port);
        command.Add(_timeout);
        command.Add(_noPrompt);
        _source.AddTo(command);
        command.Validators.Add(result =>
        {
            if (_source.Typed(result) is { } source && SourceAddressOption.Conflict(source, result.Typed(_host)) is { } conflict)
            {
                result.AddError(conflict);
            }
        });
    }

    /// <summary>The local address to connect from (<c>--source</c>), if given.</summary>
    public System.Net.IPAddress? Source(ParseResult result) => _source.Read(result);

    /// <summary>Whether questions may be asked: at a terminal, without <c>--no-prompt</c>.</summary>
    public bool MayPrompt(ParseResult result, CliConsole console) => console.MayPrompt(result.GetValue(_noPrompt));

    /// <summary>Reads host, port and timeout, asking for host and port when not given at a terminal.</summary>
    public (string Host, int Port, TimeSpan Timeout) Read(ParseResult result, CliConsole console)
    {
        var host = result.GetValue(_host) ?? "localhost";
        var port = result.GetValue(_port);
        if (MayPrompt(result, console))
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

        return (host, port, result.GetValue(_timeout));
    }
}
