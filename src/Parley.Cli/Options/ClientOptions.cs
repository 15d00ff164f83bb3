using System.CommandLine;
using Parley.Cli.Logging;
using Parley.Tcp;

namespace Parley.Cli.Options;

/// <summary>The options every TCP client takes: where to connect, how long to wait, TLS, logging.</summary>
internal sealed class ClientOptions(int builtInPort)
{
    private readonly ConnectEndpointOptions _endpoint = new(builtInPort, "TCP", "How long to wait for each address to answer");

    public LoggingOptions Logging { get; } = new();

    public TlsClientOptionSet Tls { get; } = new();

    public void AddTo(Command command)
    {
        _endpoint.AddTo(command);
        Tls.AddTo(command);
        Logging.AddTo(command);
    }

    /// <summary>Reads host and port, asking for each one not given when at a terminal.</summary>
    public (string Host, int Port, ConnectOptions Connect) Read(ParseResult result, CliConsole console)
    {
        var (host, port, timeout) = _endpoint.Read(result, console);
        var tls = Tls.Read(result, console, _endpoint.MayPrompt(result, console), timeout);
        var source = _endpoint.Source(result);
        return (host, port, new ConnectOptions { Timeout = timeout, Tls = tls, LocalAddress = source, AddressFamily = source?.AddressFamily });
    }
}
