using System.CommandLine;
using Parley.Cli.Logging;

namespace Parley.Cli.Options;

/// <summary>
/// The options a UDP client takes: where the server is, how long to wait for its answer, prompts, logging. (No TLS:
/// it is a TCP layer.)
/// </summary>
internal sealed class DatagramClientOptions(int builtInPort, string timeoutDescription)
{
    private readonly ConnectEndpointOptions _endpoint = new(builtInPort, "UDP", timeoutDescription);

    public LoggingOptions Logging { get; } = new();

    public void AddTo(Command command)
    {
        _endpoint.AddTo(command);
        Logging.AddTo(command);
    }

    /// <summary>Whether questions may be asked: at a terminal, without <c>--no-prompt</c>.</summary>
    public bool MayPrompt(ParseResult result, CliConsole console) => _endpoint.MayPrompt(result, console);

    /// <summary>The local address to send from (<c>--source</c>), if given.</summary>
    public System.Net.IPAddress? Source(ParseResult result) => _endpoint.Source(result);

    /// <summary>Reads host, port and timeout, asking for host and port when not given at a terminal.</summary>
    public (string Host, int Port, TimeSpan Timeout) Read(ParseResult result, CliConsole console) => _endpoint.Read(result, console);
}
