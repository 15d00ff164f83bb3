using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;

namespace Parley.Cli.Options;

/// <summary>
/// <c>--source ADDRESS</c>: the local address a client connects from (as <c>ncat -s</c> and <c>iperf3 -B</c>), so
/// that a person, a test or a benchmark can act from a chosen address. It must be an IP address of this machine; it
/// also chooses the family of the server addresses tried.
/// </summary>
internal sealed class SourceAddressOption
{
    private readonly Option<IPAddress?> _source = new("--source")
    {
        Description = "Connect from this local IP address (the socket is bound to it before connecting), e.g. 127.0.0.2; it must be an address of this machine "
            + "(default: the one the system picks)",
        HelpName = "address",
        CustomParser = Parse,
    };

    public void AddTo(Command command) => command.Add(_source);

    /// <summary>The address given, or <see langword="null"/>.</summary>
    public IPAddress? Read(ParseResult result) => result.GetValue(_source);

    /// <summary>The address as typed, for validators (null when not given or not an address).</summary>
    public IPAddress? Typed(CommandResult result) =>
        result.Typed(_source) is { } text && IPAddress.TryParse(text.Trim('[', ']'), out var address) ? address : null;

    /// <summary>
    /// What is wrong with connecting from <paramref name="source"/> to <paramref name="host"/>, when the host is an
    /// address of the other family; <see langword="null"/> when nothing is (or the host is a name).
    /// </summary>
    public static string? Conflict(IPAddress source, string? host) =>
        host is not null && IPAddress.TryParse(host.Trim('[', ']'), out var target) && target.AddressFamily != source.AddressFamily
            ? $"--source: {source} is an {Family(source)} address and cannot reach the {Family(target)} address {target}"
            : null;

    private static string Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static IPAddress? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
        if (!IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            result.AddError($"--source: '{text}' is not an IP address: give one of this machine's addresses, such as 127.0.0.2 or ::1");
            return null;
        }

        // Binding a throw-away socket is how to ask the system whether the address is one of its own.
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(address, 0));
        }
        catch (SocketException e)
        {
            result.AddError($"--source: {address} is not an address of this machine ({e.Message})");
            return null;
        }

        return address;
    }
}
