using System.Net;

namespace Parley.Chat;

/// <summary>
/// The chat across servers (<see cref="IChatRelay"/>): the members of the other servers of the room, what they do,
/// and the claims of nicknames in the whole room. A datagram from a member (or joiner) whose claim is under way waits
/// for it, so that what the member does next is seen after the join or rename, as on one server.
/// </summary>
public sealed partial class ChatHandler
{
    /// <summary>
    /// Datagrams that wait for a claim, per address: more than a member's default burst of 40, so that one who types on
    /// while a rename is claimed loses nothing; beyond these (a claim takes a Redis round trip), the rest are dropped.
    /// </summary>
    private const int MaxHeld = 64;

    private readonly IChatRelay _relay;
    private readonly AddressLogThrottle _notRelayedLog;
    private readonly Dictionary<string, string> _elsewhere = new(Nicknames.Comparer);
    private readonly HashSet<string> _claiming = new(Nicknames.Comparer);
    private readonly Dictionary<IPEndPoint, Queue<byte[]>> _held = [];
    private ChatRelayStatus _relayStatus;
    private bool _relayMeasured;

    /// <summary>Where the chat stands with its relay: <see cref="ChatRelayStatus.None"/> without one.</summary>
    internal ChatRelayStatus RelayStatus
    {
        get
        {
            lock (_gate)
            {
                return _relayStatus;
            }
        }
    }

    /// <summary>How many members the other servers of the room have, as far as this one knows.</summary>
    internal int MembersElsewhere
    {
        get
        {
            lock (_gate)
            {
                return _elsewhere.Count;
            }
        }
    }

    /// <summary>The members of the whole room.</summary>
    private int RoomCount => _room.Count + _elsewhere.Count;

    void IChatRelayListener.Relayed(ChatRelayEvent relayed)
    {
        ArgumentNullException.ThrowIfNull(relayed);
        ChatMetrics.RelayMessage("receive");
        lock (_gate)
        {
            if (_stopped || !IsSound(relayed))
            {
                return;
            }

            switch (relayed.Kind)
            {
                case ChatRelayEventKind.Joined when _room.Find(relayed.Nickname) is null:
                    _elsewhere[relayed.Nickname] = relayed.Nickname;
                    ChatLog.JoinedElsewhere(_logger, relayed.Nickname, _room.Count, _elsewhere.Count);
                    Broadcast(ChatReplies.Joined(relayed.Nickname), except: null);
                    break;
                case ChatRelayEventKind.Present when _room.Find(relayed.Nickname) is null:
                    _elsewhere[relayed.Nickname] = relayed.Nickname;
                    break;
                case ChatRelayEventKind.Left or ChatRelayEventKind.TimedOut when _elsewhere.Remove(relayed.Nickname, out var gone):
                    var timedOut = relayed.Kind == ChatRelayEventKind.TimedOut;
                    ChatLog.LeftElsewhere(_logger, gone, timedOut ? "timed out" : "left", _elsewhere.Count);
                    Broadcast(timedOut ? ChatReplies.TimedOut(gone) : ChatReplies.LeftNotice(gone), except: null);
                    break;
                case ChatRelayEventKind.Renamed when Nicknames.IsValid(relayed.Other):
                    _elsewhere.Remove(relayed.Nickname);
                    _elsewhere[relayed.Other] = relayed.Other;
                    Broadcast(ChatReplies.Renamed(relayed.Nickname, relayed.Other), except: null);
                    break;
                case ChatRelayEventKind.Public when !string.IsNullOrWhiteSpace(relayed.Text):
                    var line = ChatReplies.Public(relayed.Nickname, relayed.Text);
                    if (Utf8Bytes(line) <= MaxLineBytes)
                    {
                        _room.Remember(line);
                        Broadcast(line, except: null);
                    }

                    break;
                case ChatRelayEventKind.Private when _room.Find(relayed.Other) is { } recipient:
                    var message = ChatReplies.Private(relayed.Nickname, relayed.Text);
                    if (Utf8Bytes(message) <= MaxLineBytes)
                    {
                        SendLine(recipient, message);
                    }

                    break;
            }
        }
    }

    void IChatRelayListener.MembersElsewhere(IReadOnlyCollection<string> nicknames)
    {
        ArgumentNullException.ThrowIfNull(nicknames);
        lock (_gate)
        {
            _elsewhere.Clear();
            foreach (var nickname in nicknames)
            {
                if (Nicknames.IsValid(nickname) && _room.Find(nickname) is null)
                {
                    _elsewhere[nickname] = nickname;
                }
            }
        }
    }

    void IChatRelayListener.StatusChanged(ChatRelayStatus status)
    {
        lock (_gate)
        {
            if (_stopped || status == _relayStatus)
            {
                return;
            }

            if (_relayMeasured)
            {
                ChatMetrics.RelayStatusChanged(_relayStatus, status);
            }

            _relayStatus = status;
            if (status == ChatRelayStatus.Lost)
            {
                // The others' members are not known while it is lost: /who and /msg see this server only.
                _elsewhere.Clear();
                ChatLog.RelayLost(_logger, _room.Count);
                Broadcast(ChatReplies.RelayLost, except: null);
            }
            else if (status == ChatRelayStatus.Connected)
            {
                ChatLog.RelayBack(_logger, _room.Count, _elsewhere.Count);
                Broadcast(ChatReplies.RelayBack, except: null);
            }
        }
    }

    /// <summary>What another server sent is held to the rules this one applies to its own members.</summary>
    private static bool IsSound(ChatRelayEvent relayed) =>
        Nicknames.IsValid(relayed.Nickname) && !relayed.Other.Any(char.IsControl) && !relayed.Text.Any(char.IsControl);

    /// <summary>The nickname of a member of another server, or of a claim under way here, that looks like <paramref name="nickname"/>.</summary>
    private string? TakenElsewhere(string nickname) =>
        _elsewhere.TryGetValue(nickname, out var other) ? other : _claiming.TryGetValue(nickname, out var claiming) ? claiming : null;

    /// <summary>
    /// Claims <paramref name="nickname"/> in the room, then calls <paramref name="then"/> in turn with the datagrams:
    /// at once when the relay answers at once (no relay), otherwise later, holding <paramref name="from"/>'s datagrams
    /// until then.
    /// </summary>
    private void Claim(string nickname, string? previous, IPEndPoint from, Action<ChatClaimResult> then)
    {
        var claim = _relay.ClaimAsync(nickname, previous);
        if (claim.IsCompletedSuccessfully)
        {
            then(claim.Result);
            return;
        }

        _claiming.Add(nickname);
        _held[from] = new Queue<byte[]>();
        _ = ClaimedAsync(claim, nickname, from, then);
    }

    private async Task ClaimedAsync(Task<ChatClaimResult> claim, string nickname, IPEndPoint from, Action<ChatClaimResult> then)
    {
        ChatClaimResult result;
        try
        {
            result = await claim.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Udp.UdpLog.HandlerFailed(_logger, _endPoint, e);
            result = new ChatClaimResult(ChatClaim.Unavailable);
        }

        lock (_gate)
        {
            try
            {
                _claiming.Remove(nickname);
                if (_stopped)
                {
                    if (result.Claim == ChatClaim.Claimed)
                    {
                        ReleaseNickname(nickname, timedOut: false);
                    }

                    return;
                }

                then(result);
                ReleaseHeld(from);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Udp.UdpLog.HandlerFailed(_logger, _endPoint, e);
            }
        }
    }

    /// <summary>True when <paramref name="from"/> waits for a claim: the datagram is kept (up to <see cref="MaxHeld"/>) for later.</summary>
    private bool Held(ReadOnlyMemory<byte> payload, IPEndPoint from)
    {
        if (_held.Count == 0 || !_held.TryGetValue(from, out var waiting))
        {
            return false;
        }

        if (waiting.Count < MaxHeld)
        {
            waiting.Enqueue(payload.ToArray());
        }

        return true;
    }

    /// <summary>Handles the datagrams that waited for a claim, in the order they came, until one starts another claim.</summary>
    private void ReleaseHeld(IPEndPoint from)
    {
        if (!_held.Remove(from, out var waiting))
        {
            return;
        }

        while (waiting.TryDequeue(out var payload))
        {
            if (_held.TryGetValue(from, out var again))
            {
                again.Enqueue(payload);
                continue;
            }

            HandleInTurn(payload, from);
        }
    }

    /// <summary>Frees a nickname of this server's member in the room (while the relay is lost, the others time it out).</summary>
    private void ReleaseNickname(string nickname, bool timedOut) => _relay.Release(nickname, timedOut);

    /// <summary>Sends a whole line to an address that has proved it receives the server's datagrams.</summary>
    private void SendTo(IPEndPoint to, string line, LineEnding ending) =>
        _outbox.Add(ChatReplies.Encode(line, ending), to, to.Address);
}
