using System.Net;
using Parley.Net;

namespace Parley.Tests.Net;

public sealed class ListenAddressesTests
{
    [Fact]
    public void A_server_bound_to_one_address_is_reachable_at_that_address_only()
    {
        var bound = new IPEndPoint(IPAddress.Loopback, 9000);

        Assert.Equal([bound], ListenAddresses.Reachable(bound, dualMode: false));
    }

    [Fact]
    public void A_dual_stack_wildcard_server_lists_IPv4_loopback_first_and_no_link_local_address()
    {
        var reachable = ListenAddresses.Reachable(new IPEndPoint(IPAddress.IPv6Any, 9000), dualMode: true);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9000), reachable[0]);
        Assert.All(reachable, e => Assert.Equal(9000, e.Port));
        Assert.DoesNotContain(reachable, e => e.Address.IsIPv6LinkLocal);
    }

    [Fact]
    public void An_IPv4_wildcard_server_is_reachable_at_IPv4_addresses_only()
    {
        var reachable = ListenAddresses.Reachable(new IPEndPoint(IPAddress.Any, 9000), dualMode: false);

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 9000), reachable);
        Assert.All(reachable, e => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, e.AddressFamily));
    }
}
