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
        else if (TakenElsewhere(nickname) is { } other)
        {
            (reason, refusal) = ($"the nickname is taken by {other} on another server or by a join under way", ChatReplies.Taken(nickname));
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

        if (_relayStatus == ChatRelayStatus.Lost)
        {
            // After the challenge: the address has proved it receives ours, so it gets the whole line.
            ChatLog.JoinRefused(_logger, from, nickname, "the chat relay is unavailable");
            SendTo(from, ChatReplies.RelayUnavailable[0], ending);
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

        Claim(nickname, previous: null, from, result => JoinClaimed(result, from, nickname, bucket, ending));
    }

    /// <summary>The end of a join, once the nickname is claimed in the room (at once without a relay).</summary>
    private void JoinClaimed(ChatClaimResult result, IPEndPoint from, string nickname, TokenBucket bucket, LineEnding ending)
    {
        if (result.Claim != ChatClaim.Claimed)
        {
            _room.KeepBucket(from, bucket);
            var (reason, refusal) = result.Claim == ChatClaim.Taken
                ? ("the nickname is taken on another server", ChatReplies.Taken(nickname))
                : ("the chat relay is unavailable", ChatReplies.RelayUnavailable);
            ChatLog.JoinRefused(_logger, from, nickname, reason);
            SendTo(from, refusal[0], ending);
            return;
        }

        var member = new ChatMember(nickname, from, bucket, _time.GetTimestamp())
        {
            Ending = ending,
            Address = _server?.AddressOf(from),
        };

        _room.Add(member);
        MembersChanged();
        ChatLog.Joined(_logger, nickname, from, _room.Count);
        Welcome(member, result.History?.Select(m => ChatReplies.Public(m.Nickname, m.Text)).ToList() ?? _room.History, result.Members ?? RoomCount);
        Broadcast(ChatReplies.Joined(nickname), except: member);
    }

    private void Welcome(ChatMember member, IReadOnlyCollection<string> history, int members)
    {
        SendLine(member, ChatReplies.Welcome(member.Nickname, members, history.Count));
        foreach (var line in history)
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
            SendLine(member, ChatReplies.Welcome(member.Nickname, RoomCount, history: 0));
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

        if (TakenElsewhere(nickname) is { } other)
        {
            Refuse(member, "/nick", $"{nickname} is taken by {other} on another server or by a join under way", ChatReplies.Taken(nickname), size);
            return;
        }

        if (_relayStatus == ChatRelayStatus.Lost)
        {
            Refuse(member, "/nick", "the chat relay is unavailable", ChatReplies.RelayUnavailable, size);
            return;
        }

        Claim(nickname, member.Nickname, member.EndPoint, result => RenameClaimed(result, member, nickname, size));
    }

    /// <summary>The end of a rename, once the new nickname is claimed in the room (at once without a relay).</summary>
    private void RenameClaimed(ChatClaimResult result, ChatMember member, string nickname, int size)
    {
        if (_room.Find(member.EndPoint) != member)
        {
            // Timed out while the claim was under way: the new nickname is not the member's after all.
            if (result.Claim == ChatClaim.Claimed)
            {
                ReleaseNickname(nickname, timedOut: false);
            }

            return;
        }

        if (result.Claim != ChatClaim.Claimed)
        {
            Refuse(member, "/nick", result.Claim == ChatClaim.Taken ? $"{nickname} is taken on another server" : "the chat relay is unavailable",
                result.Claim == ChatClaim.Taken ? ChatReplies.Taken(nickname) : ChatReplies.RelayUnavailable, size);
            return;
        }

        var old = member.Nickname;
        _room.Rename(member, nickname);
        ChatLog.Renamed(_logger, old, member.EndPoint, nickname);
        Broadcast(ChatReplies.Renamed(old, nickname), except: null);
    }

    private void Who(ChatMember member)
    {
        var lines = ChatReplies.Members(_room.SortedNicknames(_elsewhere.Values), MaxLineBytes).ToList();
        ChatLog.Who(_logger, member.Nickname, member.EndPoint, RoomCount, lines.Count);
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
        if (_relayStatus == ChatRelayStatus.Connected)
        {
            if (_relay.Publish(member.Nickname, text))
            {
                ChatMetrics.RelayMessage("transmit");
            }
            else if (_notRelayedLog.Count(address, out _))
            {
                ChatLog.NotRelayed(_logger, member.Nickname, member.EndPoint);
            }
        }
    }

    private void Private(ChatMember member, string nickname, string text, int size)
    {
        if (nickname.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            Refuse(member, "/msg", "no nickname or no text", ChatReplies.Usage("/msg NICK TEXT"), size);
            return;
        }

        var recipient = _room.Find(nickname);
        if (recipient is null && !_elsewhere.ContainsKey(nickname))
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

        if (recipient is not null)
        {
            SendLine(recipient, line);
            ChatMetrics.Relayed("private");
            ChatLog.PrivateMessage(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), recipient.Nickname);
            return;
        }

        var elsewhere = _elsewhere[nickname];
        if (!_relay.SendPrivate(member.Nickname, elsewhere, text))
        {
            Refuse(member, "/msg", "the chat relay is unavailable", ChatReplies.RelayUnavailable, size);
            return;
        }

        ChatMetrics.RelayMessage("transmit");

        ChatMetrics.Relayed("private");
        ChatLog.PrivateMessage(_logger, member.Nickname, member.EndPoint, Utf8Bytes(text), elsewhere);
    }

    private void Leave(ChatMember member, int size)
    {
        _room.Remove(member);
        ReleaseNickname(member.Nickname, timedOut: false);
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
