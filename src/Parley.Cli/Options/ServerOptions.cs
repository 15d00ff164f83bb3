using System.CommandLine;
using Parley.Cli.Logging;
using Parley.Tcp;

namespace Parley.Cli.Options;

/// <summary>The options every TCP server takes: where to listen, who may stop it, idle clients, connection limits, TLS, logging.</summary>
internal sealed class ServerOptions
{
    /// <summary>The default <c>--max-connections-per-address</c> of the dialog servers (ident, auth).</summary>
    public const int DialogMaxConnectionsPerAddress = 64;

    private readonly ListenEndpointOptions _endpoint;

    private readonly Option<string> _allowStop = OptionFactory.Choice(
        "--allow-stop", "Which clients may stop the server with 'stop': local (loopback addresses only), any, or none",
        "local", "local", "any", "none");

    private readonly Option<Duration?> _idleTimeout;

    // No default value on the option itself: it depends on this process's open-file limit, so it is worked out when
    // the server starts, and --help and the man page say how rather than show one machine's number.
    private readonly Option<int?> _maxConnections = new("--max-connections")
    {
        Description = "The most clients connected at once; beyond it a new connection is refused at once (counted, logged at most once a second per address); 0 = unlimited "
            + "(default: what the open-file limit leaves free at start, less a tenth of the limit, at least 128, so that the server never runs out of descriptors)",
        HelpName = "n",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            result.AddError($"--max-connections: '{text}' is not a whole number from 0 to {int.MaxValue}");
            return null;
        },
    };

    private readonly Option<int> _maxPerAddress;

    private readonly Func<string, ReadOnlyMemory<byte>>? _refusal;

    /// <param name="builtInPort">The service's default port.</param>
    /// <param name="defaultIdleTimeout">The default <c>--idle-timeout</c>; null for off.</param>
    /// <param name="defaultMaxPerAddress">The default <c>--max-connections-per-address</c>; 0 for unlimited.</param>
    /// <param name="refusal">What a client refused for a connection limit is told (<see cref="TcpServerOptions.Refusal"/>).</param>
    public ServerOptions(
        int builtInPort, TimeSpan? defaultIdleTimeout = null, int defaultMaxPerAddress = 0, Func<string, ReadOnlyMemory<byte>>? refusal = null)
    {
        _refusal = refusal;
        _maxPerAddress = OptionFactory.Int(
            "--max-connections-per-address",
            "The most clients connected at once from one IP address; beyond it a new connection from that address is refused at once; 0 = unlimited",
            defaultMaxPerAddress, 0, int.MaxValue);
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

    public MonitoringOptions Monitoring { get; } = new();

    public void AddTo(Command command)
    {
        _endpoint.AddTo(command);
        command.Add(_allowStop);
        command.Add(_idleTimeout);
        command.Add(_maxConnections);
        command.Add(_maxPerAddress);
        Tls.AddTo(command);
        Logging.AddTo(command);
        Monitoring.AddTo(command);
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
            MaxConnections = result.GetValue(_maxConnections)
                ?? Hosting.DescriptorLimit.DefaultMaxConnections(Hosting.DescriptorLimit.OpenFiles(), Hosting.DescriptorLimit.InUse()),
            MaxConnectionsPerAddress = result.GetValue(_maxPerAddress),
            Refusal = _refusal,
        };
    }
}
