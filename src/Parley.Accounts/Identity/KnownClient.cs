namespace Parley.Identity;

/// <summary>A client the identification service knows, by IP address.</summary>
/// <param name="Address">The client's IP address, as text (an IPv4-mapped IPv6 address is stored as the IPv4 address).</param>
/// <param name="Name">The name it gave.</param>
/// <param name="FirstSeen">When it first gave its name.</param>
/// <param name="LastSeen">When it last connected.</param>
/// <param name="Visits">How many times it has connected, counting the first.</param>
internal sealed record KnownClient(string Address, string Name, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Visits);
