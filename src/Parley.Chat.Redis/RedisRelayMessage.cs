namespace Parley.Chat.Redis;

/// <summary>
/// What the servers of a room publish on its channel: lines joined by LF (chat text holds no control characters), the
/// kind first, then the server's id: <c>J</c> joined, <c>P</c> present, <c>L</c> left, <c>T</c> timed out (SERVER NICK),
/// <c>R</c> renamed (SERVER OLD NEW), <c>M</c> public (SERVER NICK "" TEXT), <c>W</c> private (SERVER FROM TO TEXT).
/// </summary>
internal static class RedisRelayMessage
{
    public static string Private(string serverId, string from, string to, string text) => $"W\n{serverId}\n{from}\n{to}\n{text}";

    /// <summary>Reads a message; null when it is not one.</summary>
    public static (string ServerId, ChatRelayEvent Event)? Parse(string message)
    {
        var parts = message.Split('\n', 5);
        if (parts.Length < 3 || parts[0].Length != 1)
        {
            return null;
        }

        var (server, nickname) = (parts[1], parts[2]);
        ChatRelayEvent? relayed = (parts[0][0], parts.Length) switch
        {
            ('J', 3) => new ChatRelayEvent(ChatRelayEventKind.Joined, nickname),
            ('P', 3) => new ChatRelayEvent(ChatRelayEventKind.Present, nickname),
            ('L', 3) => new ChatRelayEvent(ChatRelayEventKind.Left, nickname),
            ('T', 3) => new ChatRelayEvent(ChatRelayEventKind.TimedOut, nickname),
            ('R', 4) => new ChatRelayEvent(ChatRelayEventKind.Renamed, nickname, parts[3]),
            ('M', 5) => new ChatRelayEvent(ChatRelayEventKind.Public, nickname, "", parts[4]),
            ('W', 5) => new ChatRelayEvent(ChatRelayEventKind.Private, nickname, parts[3], parts[4]),
            _ => null,
        };
        return relayed is null ? null : (server, relayed);
    }

    /// <summary>A holder's entry, <c>SERVER\nNICK</c>.</summary>
    public static (string ServerId, string Nickname)? Holder(string entry) =>
        entry.IndexOf('\n', StringComparison.Ordinal) is var at and > 0 ? (entry[..at], entry[(at + 1)..]) : null;
}
