using System.Net;
using System.Net.Sockets;

namespace Parley.Cli.Options;

/// <summary>Checks of host names typed at a prompt.</summary>
internal static class HostChecks
{
    /// <summary>Null when <paramref name="host"/> resolves; otherwise the resolver's reason, in one line.</summary>
    public static string? Resolves(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return null;
        }

        try
        {
            return Dns.GetHostAddresses(host).Length > 0 ? null : $"{host} has no address";
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return $"cannot resolve {host}: {e.Message}";
        }
    }
}
