using System.Diagnostics.Metrics;
using Parley.Shared;

namespace Parley.Chat;

/// <summary>
/// The chat server's instruments (its datagrams and bytes are the UDP server's, in <c>UdpMetrics</c>), and with a
/// relay (issue 17) its status and its messages to and from the relay.
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

    private static readonly UpDownCounter<long> RelayConnected = ParleyMeter.Instance.CreateUpDownCounter<long>(
        "parley.chat.relay.connected", "{relay}", "Chat relays connected now (1 while a server's relay works, 0 while it is lost)");

    private static readonly Counter<long> RelayMessages = ParleyMeter.Instance.CreateCounter<long>(
        "parley.chat.relay.messages", "{message}",
        "Messages and notices to the relay (network.io.direction: transmit) and from it (receive)");

    /// <summary>The relay went from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void RelayStatusChanged(ChatRelayStatus from, ChatRelayStatus to)
    {
        var delta = (to == ChatRelayStatus.Connected ? 1 : 0) - (from == ChatRelayStatus.Connected ? 1 : 0);
        if (delta != 0 && RelayConnected.Enabled)
        {
            RelayConnected.Add(delta);
        }
    }

    public static void RelayMessage(string direction)
    {
        if (RelayMessages.Enabled)
        {
            RelayMessages.Add(1, new KeyValuePair<string, object?>("network.io.direction", direction));
        }
    }

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
