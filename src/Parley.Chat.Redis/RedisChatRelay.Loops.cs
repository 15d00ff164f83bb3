using StackExchange.Redis;

namespace Parley.Chat.Redis;

/// <summary>The relay's two loops: sending what the chat queued, and keeping the room's claims (see <see cref="RedisChatRelay"/>).</summary>
internal sealed partial class RedisChatRelay
{
    private enum Kind
    {
        Join,
        Rename,
        Left,
        TimedOut,
        Public,
        Private,
    }

    /// <summary>Sends the queued commands in order: each is written at once after the one before, without waiting for its answer.</summary>
    private async Task SendAsync()
    {
        await foreach (var command in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Send(command);
            }
            catch (RedisException e)
            {
                RedisRelayLog.CommandFailed(_logger, Reason(e));
                command.Claimed?.TrySetResult(new ChatClaimResult(ChatClaim.Unavailable));
            }
        }
    }

    private void Send(Command command)
    {
        const CommandFlags Quiet = CommandFlags.FireAndForget;
        var key = Nicknames.Key(command.Nickname);
        switch (command.Kind)
        {
            case Kind.Join or Kind.Rename:
                var rename = command.Kind == Kind.Rename;
                var answer = _database.ScriptEvaluateAsync(RedisRelayScripts.Claim, _keys,
                [
                    _channelName, ServerId, key, command.Nickname, Milliseconds(_options.MemberTimeout), _options.History,
                    rename ? "R" : "J", rename ? Nicknames.Key(command.Other) : "", command.Other,
                ]);
                _ = ClaimedAsync(answer, command);
                break;
            case Kind.Left or Kind.TimedOut:
                _database.ScriptEvaluate(RedisRelayScripts.Release, _keys,
                    [_channelName, ServerId, key, command.Nickname, command.Kind == Kind.Left ? "L" : "T"], Quiet);
                break;
            case Kind.Public:
                _database.ScriptEvaluate(RedisRelayScripts.Say, _keys, [_channelName, ServerId, command.Nickname, command.Text, _options.History], Quiet);
                break;
            case Kind.Private:
                _database.Publish(_channel, RedisRelayMessage.Private(ServerId, command.Nickname, command.Other, command.Text), Quiet);
                break;
        }
    }

    private async Task ClaimedAsync(Task<RedisResult> answer, Command command)
    {
        ChatClaimResult result;
        try
        {
            var parts = (RedisResult[])(await answer.ConfigureAwait(false))!;
            if ((long)parts[0] == 0)
            {
                result = new ChatClaimResult(ChatClaim.Taken);
            }
            else
            {
                lock (_lock)
                {
                    if (command.Kind == Kind.Rename)
                    {
                        _mine.Remove(Nicknames.Key(command.Other));
                    }

                    _mine[Nicknames.Key(command.Nickname)] = command.Nickname;
                }

                result = new ChatClaimResult(ChatClaim.Claimed, History((RedisResult[])parts[1]!), parts.Length > 2 ? (int)parts[2] : null);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException)
        {
            RedisRelayLog.CommandFailed(_logger, Reason(e));
            result = new ChatClaimResult(ChatClaim.Unavailable);
        }

        command.Claimed!.TrySetResult(result);
    }

    /// <summary>The history a claim returned, newest first, as public messages oldest first.</summary>
    private static List<ChatRelayEvent> History(RedisResult[] lines)
    {
        var history = new List<ChatRelayEvent>(lines.Length);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (RedisRelayMessage.Holder((string?)lines[i] ?? "") is var (nickname, text))
            {
                history.Add(new ChatRelayEvent(ChatRelayEventKind.Public, nickname, "", text));
            }
        }

        return history;
    }

    /// <summary>
    /// Every period: keeps this server's members claimed and sweeps expired ones; once the connection is lost, tries
    /// again after 250 ms, then twice as long each time up to 5 seconds, and when Redis answers, claims this server's
    /// members again and learns the others' before saying the relay is back.
    /// </summary>
    private async Task RefreshAsync()
    {
        var delay = _period;
        var attempts = 0;
        var first = true;
        while (!_stopping.IsCancellationRequested)
        {
            if (!first)
            {
                try
                {
                    await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var lost = Status == ChatRelayStatus.Lost;
            try
            {
                if (lost)
                {
                    attempts++;
                    await ReclaimAsync().ConfigureAwait(false);
                }

                var holders = await RefreshOnceAsync().ConfigureAwait(false);
                if (lost || first)
                {
                    _listener!.MembersElsewhere(Elsewhere(holders));
                }

                if (lost)
                {
                    int members;
                    lock (_lock)
                    {
                        members = _mine.Count;
                    }

                    RedisRelayLog.Back(_logger, _options.Url.ToString(), attempts, members);
                    Volatile.Write(ref _status, (int)ChatRelayStatus.Connected);
                    _listener!.StatusChanged(ChatRelayStatus.Connected);
                    (delay, attempts) = (_period, 0);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException)
            {
                MarkLost(Reason(e));
                delay = lost ? TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks)) : TimeSpan.FromMilliseconds(250);
            }

            first = false;
        }
    }

    private async Task<RedisResult[]> RefreshOnceAsync()
    {
        List<RedisValue> arguments = [_channelName, ServerId, Milliseconds(_options.MemberTimeout)];
        lock (_lock)
        {
            arguments.AddRange(_mine.Keys.Select(k => (RedisValue)k));
        }

        return (RedisResult[])(await _database.ScriptEvaluateAsync(RedisRelayScripts.Refresh, _keys, [.. arguments]).ConfigureAwait(false))!;
    }

    /// <summary>After an outage (Redis may have restarted empty): claims this server's members again, silently for the others' members.</summary>
    private async Task ReclaimAsync()
    {
        if (_subscription is { Completion.IsCompleted: true } || !_redis.GetSubscriber().IsConnected(_channel))
        {
            throw new TimeoutException("the subscription is not back yet");
        }

        KeyValuePair<string, string>[] mine;
        lock (_lock)
        {
            mine = [.. _mine];
        }

        foreach (var (key, nickname) in mine)
        {
            var parts = (RedisResult[])(await _database.ScriptEvaluateAsync(RedisRelayScripts.Claim, _keys,
                [_channelName, ServerId, key, nickname, Milliseconds(_options.MemberTimeout), 0, "P", "", ""]).ConfigureAwait(false))!;
            if ((long)parts[0] == 0)
            {
                RedisRelayLog.ReclaimRefused(_logger, nickname);
            }
        }
    }

    private List<string> Elsewhere(RedisResult[] holders)
    {
        var nicknames = new List<string>(holders.Length);
        foreach (var entry in holders)
        {
            if (RedisRelayMessage.Holder((string?)entry ?? "") is var (server, nickname) && server != ServerId)
            {
                nicknames.Add(nickname);
            }
        }

        return nicknames;
    }

    private void MarkLost(string reason)
    {
        if (Volatile.Read(ref _disposed) == 0
            && Interlocked.CompareExchange(ref _status, (int)ChatRelayStatus.Lost, (int)ChatRelayStatus.Connected) == (int)ChatRelayStatus.Connected)
        {
            RedisRelayLog.Lost(_logger, _options.Url.ToString(), reason);
            _listener?.StatusChanged(ChatRelayStatus.Lost);
        }
    }

    /// <summary>A message on the room's channel, in the order Redis delivered them; this server's own are skipped.</summary>
    private void Received(ChannelMessage message)
    {
        var text = (string?)message.Message ?? "";
        if (RedisRelayMessage.Parse(text) is not var (server, relayed))
        {
            RedisRelayLog.Malformed(_logger, text.Length);
            return;
        }

        if (server != ServerId && Status == ChatRelayStatus.Connected)
        {
            _listener?.Relayed(relayed);
        }
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;

    private sealed record Command(Kind Kind, string Nickname, string Other, string Text, TaskCompletionSource<ChatClaimResult>? Claimed = null);
}
