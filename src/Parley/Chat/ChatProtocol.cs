namespace Parley.Chat;

/// <summary>The fixed numbers of the chat protocol (docs/protocol.md, "Chat").</summary>
internal static class ChatProtocol
{
    /// <summary>The chat's UDP port unless told otherwise.</summary>
    public const int DefaultPort = 9003;

    /// <summary>
    /// The largest datagram payload either side sends or accepts, line ending included: 1200 bytes fit in the
    /// smallest IPv6 path (1280 bytes) with the IP and UDP headers, so no datagram is ever fragmented.
    /// </summary>
    public const int MaxDatagramBytes = 1200;

    /// <summary>The longest nickname, in Unicode code points.</summary>
    public const int MaxNicknameLength = 32;
}
