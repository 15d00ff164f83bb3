using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Chat;

/// <summary>
/// The chat server's instruments (its datagrams and bytes are the UDP server's, in <c>UdpMetrics</c>). A relay
/// (issue 17) adds its status and its messages to and from the relay here.
/// </summary>
internal static class ChatMetrics
{
    private static readonly UpDownCounter<long> Members = ParleyMeter.Instance.CreateUpDownCounter<long>(
        "parley.chat.members", "{member}", "Members in the chat now");

    private static readonly Counter<long> Messages = ParleyMeter.Instance.CreateCounter<long>(
        "parley.chat.messages", "{message}", "Messages relayed (parley.chat.audience: public to every other member, private to one)");

    private static readonly Counter<long> RejectedDatagrams = ParleyMeter.Instance.CreateCounter<long>(
        "parley.chat.rejected_datagrams", "{datagram}",
        "Datagrams not relayed (parley.reason: invalid, not_joined, rate_limit, address_rate_limit, shed)");

    public static void MembersChanged(int delta)
    {
        if (delta != 0 && Members.Enabled)
        {
            Members.Add(delta);
        }
    }

    public static void Relayed(string audience)
    {
        if (Messages.Enabled)
        {
            Messages.Add(1, new KeyValuePair<string, object?>("parley.chat.audience", audience));
        }
    }

    public static void Rejected(string reason)
    {
        if (RejectedDatagrams.Enabled)
        {
            RejectedDatagrams.Add(1, new KeyValuePair<string, object?>("parley.reason", reason));
        }
    }
}
