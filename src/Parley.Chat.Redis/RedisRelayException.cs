namespace Parley.Chat.Redis;

/// <summary>The relay cannot be reached at start; the message names the host and port, never the password.</summary>
internal sealed class RedisRelayException(string message, Exception? inner = null) : Exception(message, inner);
