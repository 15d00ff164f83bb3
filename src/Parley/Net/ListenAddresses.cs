using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Parley.Net;

/// <summary>Names the addresses a listening socket can be reached at on this machine.</summary>
internal static class ListenAddresses
{
    /// <summary>
    /// For a socket bound to one address, that endpoint. For a wildcard socket, one endpoint per address of this
    /// machine's interfaces that are up (IPv6 ones only for a dual-stack or IPv6 socket; link-local ones left out,
    /// as they need a scope to be usable).
    /// </summary>
    public static IReadOnlyList<IPEndPoint> Reachable(IPEndPoint bound, bool dualMode)
    {
        var wildcard = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any);
        if (!wildcard)
        {
            return [bound];
        }

        var v4 = bound.AddressFamily == AddressFamily.InterNetwork || dualMode;
        var v6 = bound.AddressFamily == AddressFamily.InterNetworkV6;
        var result = new List<IPEndPoint>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    var wanted = address.AddressFamily switch
                    {
                        AddressFamily.InterNetwork => v4,
                        AddressFamily.InterNetworkV6 => v6 && !address.IsIPv6LinkLocal,
                        _ => false,
                    };
                    if (wanted)
                    {
                        result.Add(new IPEndPoint(address, bound.Port));
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            return [bound];
        }

        result.Sort(static (a, b) => Rank(a).CompareTo(Rank(b)));
        return result.Count == 0 ? [bound] : result;
    }

    /// <summary>Loopback first, then IPv4, then IPv6.</summary>
    private static int Rank(IPEndPoint endPoint) =>
        (IPAddress.IsLoopback(endPoint.Address) ? 0 : 2) + (endPoint.AddressFamily == AddressFamily.InterNetwork ? 0 : 1);
}
