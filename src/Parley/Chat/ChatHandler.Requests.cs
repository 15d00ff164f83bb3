using System.Net;
using Parley.Shared;

namespace Parley.Chat;

/// <summary>The chat's requests, each handled in turn (see <see cref="ChatHandler"/>).</summary>
public sealed partial class ChatHandler
{
    /// <summary>
    /// A <c>/join</c> from an address that is no member. Refusals come first, answered within the reply budget; a join
    /// that would be taken is answered with a challenge (<c>? /join NICK CODE</c>, see <see cref="JoinChallenge"/>)
    /// until the same address sends it back: only then does the server keep anything or send the welcome and history.
    /// </summary>
    private void Join(IPEndPoint from, string nickname, string code, LineEnding ending, int size)
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
        else if (_options.MaxMembersPerAddress > 0 && _room.MembersFrom(from.Address) >= _options.MaxMembersPerAddress)
        {
            // A flood of joins from one address is counted, and logged once a second, not once a join.
            if (_tooManyLog.Count(from.Address, out var refused))
            {
                ChatLog.TooManyFromAddress(_logger, from.Address, _options.MaxMembersPerAddress, refused);
            }

            Reply(from, ChatReplies.TooManyFromAddress(_options.MaxMembersPerAddress), ending, size, proven: false);
            return;
        }

        if (refusal is not null)
        {
            ChatLog.JoinRefused(_logger, from, nickname, reason);
            Reply(from, refusal, ending, size, proven: false);
            return;
        }

        if (!_challenge.IsValid(from, nickname, code))
        {
            ChatLog.Challenged(_logger, from, nickname, code.Length == 0 ? "no code yet" : "a wrong or expired code");
            Reply(from, [ChatReplies.Challenge(nickname, _challenge.CodeFor(from, nickname))], ending, size, proven: false);
            return;
        }

        // The /join itself is the member's first message. Leaving and joining again keeps the bucket: otherwise a
        // flood could go on by rejoining, each time with a full one.
        var bucket = _room.BucketFor(from, () => new TokenBucket(_options.Rate, _options.Burst, _time));
        if (!bucket.TryTake())
        {
            _room.KeepBucket(from, bucket);
            ChatLog.JoinRefused(_logger, from, nickname, "rejoining too fast");
            Reply(from, ChatReplies.TooFast(_options.Rate, _options.Burst), ending, size, proven: true);
            return;
        }

        var member = new ChatMember(nickname, from, bucket, _time.GetTimestamp())
        {
            Ending = ending,
        };

        _room.Add(member);
        MembersChanged();
        ChatLog.Joined(_logger, nickname, from, _room.Count);
        Welcome(member);
        Broadcast(ChatReplies.Joined(nickname), except: member);
    }

    private void Welcome(ChatMember member)
    {
        SendLine(member, ChatReplies.Welcome(member.Nickname, _room.Count, _room.History.Count));
        foreach (var line in _room.History)
        {
            SendLine(member, line);
        }
    }

    /// <summary>
    /// A <c>/join</c> from a member: the same name again is a retry whose answer was lost, answered with the welcome
    /// line only; another name is a mistake. Sending the history again would let anyone who forges a member's address
    /// make the server send twenty lines to it for every short datagram: an amplifier.
    /// </summary>
    private void RepeatJoin(ChatMember member, string nickname, int size)
    {
        if (Nicknames.Comparer.Equals(nickname, member.Nickname))
        {
            ChatLog.Rejoined(_logger, member.Nickname, member.EndPoint);
            SendLine(member, ChatReplies.Welcome(member.Nickname, _room.Count, history: 0));
            return;
        }

        Refuse(member, "/join", $"already joined as {member.Nickname}", ChatReplies.AlreadyJoined(member.Nickname), size);
    }

    private void Rename(ChatMember member, string nickname, int size)
    {
        if (nickname.Length == 0)
        {
            Refuse(member, "/nick", "no nickname given", ChatReplies.Usage("/nick NEW"), size);
            return;
        }

        if (Nicknames.Problem(nickname) is { } problem)
        {
            Refuse(member, "/nick", problem, ChatReplies.InvalidNickname(problem), size);
            return;
        }

        if (string.Equals(nickname, member.Nickname, StringComparison.Ordinal))
        {
            Refuse(member, "/nick", "the same nickname", ChatReplies.SameNickname(nickname), size);
            return;
        }

        if (_room.Find(nickname) is { } holder && holder != member)
        {
            Refuse(member, "/nick", $"{nickname} is taken by {holder.EndPoint}", ChatReplies.Taken(nickname), size);
            return;
        }

        var old = member.Nickname;
        _room.Rename(member, nickname);
        ChatLog.Renamed(_logger, old, member.EndPoint, nickname);
        Broadcast(ChatReplies.Renamed(old, nickname), except: null);
    }

    private void Who(ChatMember member)
    {
        var lines = ChatReplies.Members(_room.SortedNicknames(), MaxLineBytes).ToList();
        ChatLog.Who(_logger, member.Nickname, member.EndPoint, _room.Count, lines.Count);
        foreach (var line in lines)
        {
            SendLine(member, line);
        }
    }

    private void Public(ChatMember member, string text, int size)
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
            Refuse(member, "a message", "too long with the nickname", ChatReplies.MessageTooLong(room), size);
            return;
        }

        var address = member.EndPoint.Address;
        if (!_outbox.HasRoomFor(address, _room.Count - 1))
        {
            // Shed, not queued: the others' messages must not wait behind this address's (issue 16).
            ChatMetrics.Rejected("shed");
            if (_shedLog.Count(address, out var shed))
            {
                ChatLog.Shed(_logger, address, _outbox.Waiting, shed);
            }

            return;
        }

        _room.Remember(line);
        var recipients = Broadcast(line, except: member, cause: address);
        ChatMetrics.Relayed("public");
        ChatLog.Relayed(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), recipients);
    }

    private void Private(ChatMember member, string nickname, string text, int size)
    {
        if (nickname.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            Refuse(member, "/msg", "no nickname or no text", ChatReplies.Usage("/msg NICK TEXT"), size);
            return;
        }

        if (_room.Find(nickname) is not { } recipient)
        {
            Refuse(member, "/msg", $"no member is called {nickname}", ChatReplies.NoSuchMember(nickname), size);
            return;
        }

        var line = ChatReplies.Private(member.Nickname, text);
        if (Utf8Bytes(line) > MaxLineBytes)
        {
            var room = MaxLineBytes - Utf8Bytes(ChatReplies.Private(member.Nickname, ""));
            Refuse(member, "/msg", "too long with the nickname", ChatReplies.MessageTooLong(room), size);
            return;
        }

        SendLine(recipient, line);
        ChatMetrics.Relayed("private");
        ChatLog.PrivateMessage(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), recipient.Nickname);
    }

    private void Leave(ChatMember member, int size)
    {
        _room.Remove(member);
        MembersChanged();
        ChatLog.Left(_logger, member.Nickname, member.EndPoint, _room.Count);
        Reply(member.EndPoint, ChatReplies.Left, member.Ending, size, proven: true);
        Broadcast(ChatReplies.LeftNotice(member.Nickname), except: null);
    }

    private void Ping(ChatMember member, string token, int size)
    {
        ChatLog.Ping(_logger, member.Nickname, member.EndPoint);
        Reply(member.EndPoint, [ChatReplies.Pong(token)], member.Ending, size, proven: true);
    }

    private void Refuse(ChatMember member, string request, string reason, string[] reply, int size)
    {
        ChatLog.Refused(_logger, member.Nickname, member.EndPoint, request, reason);
        Reply(member.EndPoint, reply, member.Ending, size, proven: true);
    }
}
