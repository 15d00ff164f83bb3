using System.Net;

namespace Parley.Chat;

/// <summary>The chat's requests, each handled in turn (see <see cref="ChatHandler"/>).</summary>
public sealed partial class ChatHandler
{
    private async Task JoinAsync(IPEndPoint from, string nickname, LineEnding ending, int size)
    {
        string[]? refusal = null;
        string reason = "";
        if (nickname.Length == 0)
        {
            (reason, refusal) = ("no nickname given", ChatReplies.Usage("/join NICK"));
        }
        else if (Nicknames.Problem(nickname) is { } problem)
        {
            (reason, refusal) = (problem, ChatReplies.InvalidNickname(problem));
        }
        else if (_room.Find(nickname) is { } holder)
        {
            (reason, refusal) = ($"the nickname is taken by {holder.Nickname} ({holder.EndPoint})", ChatReplies.Taken(nickname));
        }
        else if (_room.Count >= _options.MaxMembers)
        {
            (reason, refusal) = ($"the chat is full ({_options.MaxMembers} members)", ChatReplies.Full(_options.MaxMembers));
        }

        if (refusal is not null)
        {
            ChatLog.JoinRefused(_logger, from, nickname, reason);
            await ReplyAsync(from, refusal, ending, size).ConfigureAwait(false);
            return;
        }

        // The /join itself is the member's first message. Leaving and joining again keeps the bucket: otherwise a
        // flood could go on by rejoining, each time with a full one.
        var bucket = _room.BucketFor(from, () => new TokenBucket(_options.Rate, _options.Burst, _time));
        if (!bucket.TryTake())
        {
            _room.KeepBucket(from, bucket);
            ChatLog.JoinRefused(_logger, from, nickname, "rejoining too fast");
            await ReplyAsync(from, ChatReplies.TooFast(_options.Rate, _options.Burst), ending, size).ConfigureAwait(false);
            return;
        }

        var member = new ChatMember(nickname, from, bucket, _time.GetTimestamp())
        {
            Ending = ending,
        };

        _room.Add(member);
        MembersChanged();
        ChatLog.Joined(_logger, nickname, from, _room.Count);
        await WelcomeAsync(member).ConfigureAwait(false);
        await BroadcastAsync(ChatReplies.Joined(nickname), except: member).ConfigureAwait(false);
    }

    private async Task WelcomeAsync(ChatMember member)
    {
        await SendLineAsync(member, ChatReplies.Welcome(member.Nickname, _room.Count, _room.History.Count)).ConfigureAwait(false);
        foreach (var line in _room.History)
        {
            await SendLineAsync(member, line).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A <c>/join</c> from a member: the same name again is a retry whose answer was lost, answered with the welcome
    /// line only; another name is a mistake. Sending the history again would let anyone who forges a member's address
    /// make the server send twenty lines to it for every short datagram: an amplifier.
    /// </summary>
    private async Task RepeatJoinAsync(ChatMember member, string nickname, int size)
    {
        if (Nicknames.Comparer.Equals(nickname, member.Nickname))
        {
            ChatLog.Rejoined(_logger, member.Nickname, member.EndPoint);
            await SendLineAsync(member, ChatReplies.Welcome(member.Nickname, _room.Count, history: 0)).ConfigureAwait(false);
            return;
        }

        await RefuseAsync(member, "/join", $"already joined as {member.Nickname}", ChatReplies.AlreadyJoined(member.Nickname), size)
            .ConfigureAwait(false);
    }

    private async Task RenameAsync(ChatMember member, string nickname, int size)
    {
        if (nickname.Length == 0)
        {
            await RefuseAsync(member, "/nick", "no nickname given", ChatReplies.Usage("/nick NEW"), size).ConfigureAwait(false);
            return;
        }

        if (Nicknames.Problem(nickname) is { } problem)
        {
            await RefuseAsync(member, "/nick", problem, ChatReplies.InvalidNickname(problem), size).ConfigureAwait(false);
            return;
        }

        if (string.Equals(nickname, member.Nickname, StringComparison.Ordinal))
        {
            await RefuseAsync(member, "/nick", "the same nickname", ChatReplies.SameNickname(nickname), size).ConfigureAwait(false);
            return;
        }

        if (_room.Find(nickname) is { } holder && holder != member)
        {
            await RefuseAsync(member, "/nick", $"{nickname} is taken by {holder.EndPoint}", ChatReplies.Taken(nickname), size)
                .ConfigureAwait(false);
            return;
        }

        var old = member.Nickname;
        _room.Rename(member, nickname);
        ChatLog.Renamed(_logger, old, member.EndPoint, nickname);
        await BroadcastAsync(ChatReplies.Renamed(old, nickname), except: null).ConfigureAwait(false);
    }

    private async Task WhoAsync(ChatMember member)
    {
        var lines = ChatReplies.Members(_room.SortedNicknames(), MaxLineBytes).ToList();
        ChatLog.Who(_logger, member.Nickname, member.EndPoint, _room.Count, lines.Count);
        foreach (var line in lines)
        {
            await SendLineAsync(member, line).ConfigureAwait(false);
        }
    }

    private async Task PublicAsync(ChatMember member, string text, int size)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            // An empty line (Enter in nc) is only a sign of life.
            return;
        }

        var line = ChatReplies.Public(member.Nickname, text);
        if (Utf8Bytes(line) > MaxLineBytes)
        {
            var room = MaxLineBytes - Utf8Bytes(ChatReplies.Public(member.Nickname, ""));
            await RefuseAsync(member, "a message", "too long with the nickname", ChatReplies.MessageTooLong(room), size).ConfigureAwait(false);
            return;
        }

        _room.Remember(line);
        var recipients = await BroadcastAsync(line, except: member).ConfigureAwait(false);
        ChatLog.Relayed(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), recipients);
    }

    private async Task PrivateAsync(ChatMember member, string nickname, string text, int size)
    {
        if (nickname.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            await RefuseAsync(member, "/msg", "no nickname or no text", ChatReplies.Usage("/msg NICK TEXT"), size).ConfigureAwait(false);
            return;
        }

        if (_room.Find(nickname) is not { } recipient)
        {
            await RefuseAsync(member, "/msg", $"no member is called {nickname}", ChatReplies.NoSuchMember(nickname), size).ConfigureAwait(false);
            return;
        }

        var line = ChatReplies.Private(member.Nickname, text);
        if (Utf8Bytes(line) > MaxLineBytes)
        {
            var room = MaxLineBytes - Utf8Bytes(ChatReplies.Private(member.Nickname, ""));
            await RefuseAsync(member, "/msg", "too long with the nickname", ChatReplies.MessageTooLong(room), size).ConfigureAwait(false);
            return;
        }

        await SendLineAsync(recipient, line).ConfigureAwait(false);
        ChatLog.PrivateMessage(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), recipient.Nickname);
    }

    private async Task LeaveAsync(ChatMember member, int size)
    {
        _room.Remove(member);
        MembersChanged();
        ChatLog.Left(_logger, member.Nickname, member.EndPoint, _room.Count);
        await ReplyAsync(member.EndPoint, ChatReplies.Left, member.Ending, size).ConfigureAwait(false);
        await BroadcastAsync(ChatReplies.LeftNotice(member.Nickname), except: null).ConfigureAwait(false);
    }

    private async Task PingAsync(ChatMember member, string token, int size)
    {
        ChatLog.Ping(_logger, member.Nickname, member.EndPoint);
        await ReplyAsync(member.EndPoint, [ChatReplies.Pong(token)], member.Ending, size).ConfigureAwait(false);
    }

    private async Task RefuseAsync(ChatMember member, string request, string reason, string[] reply, int size)
    {
        ChatLog.Refused(_logger, member.Nickname, member.EndPoint, request, reason);
        await ReplyAsync(member.EndPoint, reply, member.Ending, size).ConfigureAwait(false);
    }
}
