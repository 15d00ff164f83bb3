namespace Parley.Chat.Redis;

/// <summary>
/// The Lua scripts of the relay: each runs atomically in Redis, so that two servers can never both take a nickname and
/// a dead server's member is announced as timed out exactly once. Keys: 1 the room's holders (a hash from
/// <see cref="Nicknames.Key"/> to <c>SERVER\nNICK</c>), 2 their expiry times (a sorted set, in Redis's own clock,
/// milliseconds), 3 the room's history (a list, newest first, of <c>NICK\nTEXT</c>). ARGV[1] is the room's channel,
/// ARGV[2] this server's id.
/// </summary>
internal static class RedisRelayScripts
{
    /// <summary>Redis's clock, and the sweep of expired holders that every script starts with.</summary>
    private const string Prelude = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
        for _, key in ipairs(gone) do
          redis.call('ZREM', KEYS[2], key)
          local holder = redis.call('HGET', KEYS[1], key)
          redis.call('HDEL', KEYS[1], key)
          if holder then
            redis.call('PUBLISH', ARGV[1], 'T\n' .. holder)
          end
        end
        local mine = ARGV[2] .. '\n'
        local function ours(holder)
          return holder and string.sub(holder, 1, #mine) == mine
        end

        """;

    /// <summary>
    /// A claim. ARGV: 3 key, 4 nickname, 5 expiry in ms, 6 history length, 7 mode (<c>J</c> join, <c>P</c> present again
    /// after an outage, <c>R</c> rename), 8 the previous key and 9 nickname of a rename. Returns {0} when another
    /// server holds the key, {1, history, members of the room} when taken.
    /// </summary>
    public const string Claim = Prelude + """
        local holder = redis.call('HGET', KEYS[1], ARGV[3])
        if holder and not ours(holder) then
          return {0}
        end
        if ARGV[7] == 'R' and ARGV[8] ~= ARGV[3] and ours(redis.call('HGET', KEYS[1], ARGV[8])) then
          redis.call('HDEL', KEYS[1], ARGV[8])
          redis.call('ZREM', KEYS[2], ARGV[8])
        end
        redis.call('HSET', KEYS[1], ARGV[3], mine .. ARGV[4])
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[3])
        if ARGV[7] == 'R' then
          redis.call('PUBLISH', ARGV[1], 'R\n' .. mine .. ARGV[9] .. '\n' .. ARGV[4])
          return {1, {}}
        end
        redis.call('PUBLISH', ARGV[1], ARGV[7] .. '\n' .. mine .. ARGV[4])
        local n = tonumber(ARGV[6])
        local history = {}
        if ARGV[7] == 'J' and n > 0 then
          history = redis.call('LRANGE', KEYS[3], 0, n - 1)
        end
        return {1, history, redis.call('HLEN', KEYS[1])}
        """;

    /// <summary>A member of this server left. ARGV: 3 key, 4 nickname, 5 <c>L</c> (left) or <c>T</c> (timed out).</summary>
    public const string Release = Prelude + """
        local holder = redis.call('HGET', KEYS[1], ARGV[3])
        if holder == mine .. ARGV[4] then
          redis.call('HDEL', KEYS[1], ARGV[3])
          redis.call('ZREM', KEYS[2], ARGV[3])
          redis.call('PUBLISH', ARGV[1], ARGV[5] .. '\n' .. holder)
        end
        return 1
        """;

    /// <summary>A public message. ARGV: 3 nickname, 4 text, 5 history length.</summary>
    public const string Say = """
        local n = tonumber(ARGV[5])
        if n > 0 then
          redis.call('LPUSH', KEYS[3], ARGV[3] .. '\n' .. ARGV[4])
          redis.call('LTRIM', KEYS[3], 0, n - 1)
        end
        redis.call('PUBLISH', ARGV[1], 'M\n' .. ARGV[2] .. '\n' .. ARGV[3] .. '\n\n' .. ARGV[4])
        return 1
        """;

    /// <summary>
    /// Keeps this server's members claimed, and sweeps the expired ones of any server. ARGV: 3 expiry in ms, 4... the
    /// keys of this server's members. Returns every holder of the room, for the list of members elsewhere.
    /// </summary>
    public const string Refresh = Prelude + """
        for i = 4, #ARGV do
          if ours(redis.call('HGET', KEYS[1], ARGV[i])) then
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[i])
          end
        end
        return redis.call('HVALS', KEYS[1])
        """;
}
