using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Net;

/// <summary>A host and a port as a user types them, for TCP and UDP alike.</summary>
internal static class HostPort
{
    /// <summary>Formats a host and port the way a user types them: <c>host:9000</c>, <c>[::1]:9000</c>.</summary>
    public static string Format(string host, int port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
}
