namespace Parley.Cli.Options;

/// <summary>Host and port given together on a command line, for TCP and UDP alike.</summary>
internal static class HostPortParser
{
    /// <summary>
    /// Accepts <c>host</c>, <c>host:port</c>, <c>[v6address]</c> and <c>[v6address]:port</c>, as people copy them from
    /// a <c>Listening on</c> line; a bare IPv6 address has several colons and is left whole.
    /// </summary>
    public static bool TrySplit(string text, out string host, out int? port, out string reason)
    {
        host = text.Trim();
        port = null;
        reason = "";
        string? portText = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < host.Length && host[close + 1] != ':'))
            {
                reason = $"'{text}' is not an address: write an IPv6 address with a port as [address]:port";
                return false;
            }

            portText = close + 1 < host.Length ? host[(close + 2)..] : null;
            host = host[1..close];
        }
        else if (host.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 && colon == host.LastIndexOf(':'))
        {
            portText = host[(colon + 1)..];
            host = host[..colon];
        }

        if (portText is not null)
        {
            if (!PortParser.TryParse(portText, 1, out var value, out var why))
            {
                reason = $"'{text}': {why}";
                return false;
            }

            port = value;
        }

        if (string.IsNullOrWhiteSpace(host))
        {
            reason = "give the name or address of the echo server";
            return false;
        }

        return true;
    }
}
