namespace Parley.Hosting;

/// <summary>
/// The event ids of the data events (bytes, messages or datagrams received and sent), the lab's per-read service
/// messages. A log pipeline batches these and, when its output does not keep up, drops and counts them; every other
/// event (start, listening, connected, disconnected, stop, warnings, errors) it keeps.
/// </summary>
public static class DataEvents
{
    private static readonly HashSet<int> Ids =
    [
        1100, 1101, 1105, 1106, // echo server: bytes and messages received and sent (Echo.EchoLog)
        1120, 1121, 1123, 1124, // echo client: the same (Echo.EchoLog)
        1350, 1351, 1370, 1371, // dialog server and client: message type and size (Dialog.DialogLog)
        1557, 1558, // UDP servers (chat): datagrams received and sent (Udp.UdpLog)
        1573, 1574, // chat client: datagrams sent and received (Chat.ChatLog)
    ];

    /// <summary>Whether the event with id <paramref name="eventId"/> is a data event.</summary>
    public static bool Contains(int eventId) => Ids.Contains(eventId);
}
