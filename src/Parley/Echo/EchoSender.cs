using System.Net;
using Parley.Shared;

namespace Parley.Echo;

/// <summary>One sender address of the UDP echo: its rate-limit bucket and what it had dropped since the last report.</summary>
/// <param name="address">The address; <see langword="null"/> for the bucket shared by addresses beyond the table.</param>
/// <param name="bucket">Its token bucket.</param>
internal sealed class EchoSender(IPAddress? address, TokenBucket bucket)
{
    public IPAddress? Address { get; } = address;

    public TokenBucket Bucket { get; } = bucket;

    public long Dropped { get; set; }
}
