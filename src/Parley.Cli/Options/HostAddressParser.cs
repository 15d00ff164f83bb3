using System.Net;
using System.Net.Sockets;

namespace Parley.Cli.Options;

/// <summary>The address a server binds: an IP address, or a name that resolves to one.</summary>
internal static class HostAddressParser
{
    public static bool TryParse(string text, out IPAddress? address, out string reason)
    {
        reason = "";
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            // The resolver takes an empty name for this machine's own name: an empty --host would bind some address.
            address = null;
            reason = "--host: give the address to listen on, such as 127.0.0.1 or ::1 (leave --host out for every interface)";
            return false;
        }

        if (IPAddress.TryParse(trimmed.Trim('[', ']'), out address))
        {
            return true;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(trimmed);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (address is not null)
            {
                return true;
            }

            reason = $"--host: '{trimmed}' has no address";
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            reason = $"--host: '{trimmed}' is not an address of this machine ({e.Message})";
        }

        return false;
    }
}
