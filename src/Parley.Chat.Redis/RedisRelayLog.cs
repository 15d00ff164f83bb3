using Microsoft.Extensions.Logging;

namespace Parley.Chat.Redis;

/// <summary>Log events of the Redis chat relay (1540-1549, within the chat server's range). Never reuse a retired id; never log a password.</summary>
internal static partial class RedisRelayLog
{
    [LoggerMessage(1540, LogLevel.Information, "Chat relay: room {Room} on {Relay} as server {ServerId}")]
    public static partial void Connected(ILogger logger, string room, string relay, string serverId);

    [LoggerMessage(1541, LogLevel.Warning, "Chat relay to {Relay} lost: {Reason}; reconnecting")]
    public static partial void Lost(ILogger logger, string relay, string reason);

    [LoggerMessage(1542, LogLevel.Information, "Chat relay to {Relay} back after {Attempts} attempts; {Members} members of this server claimed again")]
    public static partial void Back(ILogger logger, string relay, int attempts, int members);

    [LoggerMessage(1543, LogLevel.Warning, "Chat relay: {Nickname} of this server is held on another server now; it stays here only")]
    public static partial void ReclaimRefused(ILogger logger, string nickname);

    [LoggerMessage(1544, LogLevel.Warning, "Chat relay: ignored a message on the room's channel that is not Parley's ({Bytes} bytes)")]
    public static partial void Malformed(ILogger logger, int bytes);

    [LoggerMessage(1545, LogLevel.Debug, "Chat relay command failed: {Reason}")]
    public static partial void CommandFailed(ILogger logger, string reason);

    [LoggerMessage(1546, LogLevel.Warning, "Chat relay: {Waiting} commands still queued when stopping; not sent")]
    public static partial void StoppedUnsent(ILogger logger, int waiting);
}
