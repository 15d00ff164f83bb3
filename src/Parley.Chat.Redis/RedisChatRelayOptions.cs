namespace Parley.Chat.Redis;

/// <summary>Settings of a <see cref="RedisChatRelay"/>.</summary>
internal sealed class RedisChatRelayOptions
{
    /// <summary>The Redis server.</summary>
    public required RedisRelayUrl Url { get; init; }

    /// <summary>The room: the chat servers with the same URL, database and room are one chat. Default <c>parley</c>.</summary>
    public string Room { get; init; } = "parley";

    /// <summary>
    /// How long a nickname stays claimed without a refresh: the chat's member timeout. A server that dies loses its
    /// members this long after its last refresh. Default 60 seconds.
    /// </summary>
    public TimeSpan MemberTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many of the room's last public messages it keeps for joining members (the chat's history). Default 20.</summary>
    public int History { get; init; } = 20;

    /// <summary>
    /// The most relay commands waiting to go to Redis. When it is full, a public or private message reaches only the
    /// members of this server (logged), and a claim is refused as if the relay were unavailable. Default 10000.
    /// </summary>
    public int MaxQueued { get; init; } = 10_000;

    /// <summary>How long connecting may take, at start and at each reconnection. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
