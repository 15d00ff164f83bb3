using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Shared;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>
/// The chat service over a <see cref="UdpServer"/> (docs/protocol.md, "Chat"): members, nicknames, relaying in the
/// order received, history, member timeout, rate limits, address validation and the reply-size rule. Datagrams, the
/// member-timeout sweep and stopping take turns through one lock, so the room needs no other locking; what they send
/// goes out in order through one <see cref="ChatOutbox"/>, so receiving never waits on sending.
/// </summary>
public sealed partial class ChatHandler : IUdpDatagramHandler, IChatRelayListener
{
    /// <summary>The longest line the server composes: room is left for a CR LF within the datagram limit.</summary>
    private const int MaxLineBytes = ChatProtocol.MaxDatagramBytes - 2;

    /// <summary>
    /// No reply to an address that has not proved it receives ours is larger than this many times what it sent
    /// (QUIC's anti-amplification limit, RFC 9000 section 8): refusals and the join challenge fit in it.
    /// </summary>
    private const int ReplyFactor = 3;

    /// <summary>How long stopping waits for the datagrams already queued to go out.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly ChatServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ChatRoom _room;
    private readonly Lock _gate = new();
    private readonly JoinChallenge _challenge;
    private readonly ChatOutbox _outbox;
    private readonly Dictionary<IPAddress, TokenBucket> _addressBuckets = [];
    private readonly AddressLogThrottle _tooManyLog;
    private readonly AddressLogThrottle _addressRateLog;
    private readonly AddressLogThrottle _shedLog;
    private readonly AddressLogThrottle _rateLimitLog;
    private readonly AddressLogThrottle _rateLimitEndLog;
    private Task _sending = Task.CompletedTask;
    private IPEndPoint _endPoint = new(IPAddress.None, 0);
    private UdpServer? _server;
    private ITimer? _sweepTimer;
    private int _memberCount;
    private bool _stopped;

    /// <summary>
    /// Creates the service, the whole room on its own; <paramref name="timeProvider"/> drives the member timeout and
    /// the rate limit.
    /// </summary>
    public ChatHandler(ChatServerOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
        : this(options, loggerFactory, timeProvider, relay: null)
    {
    }

    /// <summary>
    /// Creates the service; <paramref name="relay"/> joins it to the chat servers of its room (null, or
    /// <see cref="IChatRelay.None"/>: this server is the whole room).
    /// </summary>
    internal ChatHandler(ChatServerOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider, IChatRelay? relay)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.History);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMembers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MemberTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Burst, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxMembersPerAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RatePerAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BurstPerAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBacklog);
        _options = options;
        _logger = loggerFactory.CreateLogger("Parley.Chat");
        _time = timeProvider ?? TimeProvider.System;
        _room = new ChatRoom(options.History, options.MaxMembers);
        _challenge = new JoinChallenge(_time);
        _outbox = new ChatOutbox(options.MaxBacklog);
        _tooManyLog = new AddressLogThrottle(_time);
        _addressRateLog = new AddressLogThrottle(_time);
        _shedLog = new AddressLogThrottle(_time);
        _rateLimitLog = new AddressLogThrottle(_time);
        _rateLimitEndLog = new AddressLogThrottle(_time);
        _notRelayedLog = new AddressLogThrottle(_time);
        _relay = relay ?? IChatRelay.None;
        _relayStatus = _relay.Status;
        _relay.Attach(this);
    }

    /// <inheritdoc />
    public string ServiceName => "chat";

    /// <summary>How many members the chat has now.</summary>
    public int MemberCount => Volatile.Read(ref _memberCount);

    /// <summary>Joins refused because the address had <see cref="ChatServerOptions.MaxMembersPerAddress"/> members already.</summary>
    public long JoinsRefusedPerAddress
    {
        get
        {
            lock (_gate)
            {
                return _tooManyLog.Total;
            }
        }
    }

    /// <summary>Public messages shed because their address held more than its share of <see cref="ChatServerOptions.MaxBacklog"/>.</summary>
    public long MessagesShed
    {
        get
        {
            lock (_gate)
            {
                return _shedLog.Total;
            }
        }
    }

    /// <summary>Datagrams dropped because their address went over <see cref="ChatServerOptions.RatePerAddress"/>.</summary>
    public long DroppedPerAddress
    {
        get
        {
            lock (_gate)
            {
                return _addressRateLog.Total;
            }
        }
    }

    /// <inheritdoc />
    public string DescribeSettings() => string.Create(CultureInfo.InvariantCulture,
        $"history {_options.History} messages, member timeout {Durations.Format(_options.MemberTimeout)}, rate {_options.Rate:0.##} messages a second (bursts of {_options.Burst:0.##}), ")
        + string.Create(CultureInfo.InvariantCulture, $"per address {Limit(_options.RatePerAddress, $"{_options.RatePerAddress:0.##} messages a second (bursts of {AddressBurst:0.##})")}, ")
        + string.Create(CultureInfo.InvariantCulture, $"at most {_options.MaxMembers} members, {Limit(_options.MaxMembersPerAddress, $"{_options.MaxMembersPerAddress}")} per address, ")
        + string.Create(CultureInfo.InvariantCulture, $"backlog {Limit(_options.MaxBacklog, $"{_options.MaxBacklog} datagrams")}, datagrams of at most {ChatProtocol.MaxDatagramBytes} bytes, replies to unproven addresses at most {ReplyFactor}x their request");

    private double AddressBurst => _options.BurstPerAddress > 0 ? _options.BurstPerAddress : 2 * _options.RatePerAddress;

    private static string Limit(double value, string text) => value == 0 ? "unlimited" : text;

    /// <inheritdoc />
    public void Started(UdpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _endPoint = server.EndPoint;
        _server = server;
        lock (_gate)
        {
            // Measured from here: the program listens to the instruments once the server exists.
            _relayMeasured = true;
            ChatMetrics.RelayStatusChanged(ChatRelayStatus.None, _relayStatus);
        }

        _sending = _outbox.RunAsync(server);
        var period = TimeSpan.FromTicks(Math.Clamp(_options.MemberTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _sweepTimer = _time.CreateTimer(static state => ((ChatHandler)state!).Sweep(), this, period, period);
    }

    /// <inheritdoc />
    public ValueTask HandleAsync(UdpDatagram datagram)
    {
        lock (_gate)
        {
            if (!_stopped && !Held(datagram.Payload, datagram.RemoteEndPoint))
            {
                HandleInTurn(datagram.Payload, datagram.RemoteEndPoint);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StoppingAsync()
    {
        lock (_gate)
        {
            _stopped = true;
            _sweepTimer?.Dispose();
            ChatLog.TellingStop(_logger, _room.Count);
            Broadcast(ChatReplies.ServerStopping, except: null);
            foreach (var member in _room.Members)
            {
                ReleaseNickname(member.Nickname, timedOut: false);
            }
        }

        // The last words go out after everything queued before them, before the server closes its socket; without a
        // bound on the backlog that could be millions of datagrams, so stopping waits only so long for them.
        _outbox.Complete();
        try
        {
            await _sending.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ChatLog.StoppedUnsent(_logger, _outbox.Waiting, Durations.Format(StopTimeout));
            _outbox.Abandon();
            await _sending.ConfigureAwait(false);
        }
    }

    private void HandleInTurn(ReadOnlyMemory<byte> payload, IPEndPoint from)
    {
        var size = payload.Length;
        var ending = ChatText.EndingOf(payload.Span);
        var member = _room.Find(from);
        if (member is not null)
        {
            member.LastSeen = _time.GetTimestamp();
            var withinAddress = true;
            if (!member.Bucket.TryTake() || !(withinAddress = AddressAllows(from.Address)))
            {
                // Answer the first dropped datagram of a burst only: a flood gets silence, not a flood of replies. A
                // member flooding at the edge of its rate starts a new burst with every token it gets back, so the
                // log line is also held to once a second per address: never once per attempt.
                ChatMetrics.Rejected(withinAddress ? "rate_limit" : "address_rate_limit");
                if (member.Dropped++ == 0)
                {
                    if (withinAddress && _rateLimitLog.Count(from.Address, out _))
                    {
                        ChatLog.RateLimited(_logger, member.Nickname, from, _options.Rate, _options.Burst);
                    }

                    Reply(from, ChatReplies.TooFast(_options.Rate, _options.Burst), ending, size, proven: true);
                }

                return;
            }

            if (member.Dropped > 0)
            {
                if (_rateLimitEndLog.Count(from.Address, out _))
                {
                    ChatLog.RateLimitEnded(_logger, member.Nickname, from, member.Dropped);
                }

                member.Dropped = 0;
            }

            member.Ending = ending;
        }

        if (Check(payload.Span, out var text) is { } problem)
        {
            Reject(member, payload, from, problem, ending);
            return;
        }

        var request = ChatRequest.Parse(text);
        if (member is null)
        {
            if (request.Kind == ChatRequestKind.Join)
            {
                Join(from, request.Argument, request.Text, ending, size);
            }
            else
            {
                ChatLog.NotJoined(_logger, size, from, "not a /join");
                Reply(from, ChatReplies.JoinFirst, ending, size, proven: false);
            }

            return;
        }

        switch (request.Kind)
        {
            case ChatRequestKind.Text:
                Public(member, request.Text, size);
                break;
            case ChatRequestKind.Join:
                RepeatJoin(member, request.Argument, size);
                break;
            case ChatRequestKind.Nick:
                Rename(member, request.Argument, size);
                break;
            case ChatRequestKind.Who:
                Who(member);
                break;
            case ChatRequestKind.Msg:
                Private(member, request.Argument, request.Text, size);
                break;
            case ChatRequestKind.Leave:
                Leave(member, size);
                break;
            case ChatRequestKind.Ping:
                Ping(member, request.Argument, size);
                break;
            default:
                Refuse(member, $"/{request.Argument}", "unknown command", ChatReplies.UnknownCommand(request.Argument), size);
                break;
        }
    }

    /// <summary>The datagram-level limits: size, strict UTF-8, no control characters. Null when the text passes.</summary>
    private static (string Reason, string[] Reply)? Check(ReadOnlySpan<byte> payload, out string text)
    {
        text = "";
        if (payload.Length > ChatProtocol.MaxDatagramBytes)
        {
            return ($"datagram too large ({payload.Length} bytes, at most {ChatProtocol.MaxDatagramBytes})", ChatReplies.TooLarge(payload.Length));
        }

        if (!ChatText.TryDecode(payload, out text, out var control))
        {
            return control is { } c
                ? ($"control character {ChatText.Name(c)}", ChatReplies.ControlCharacter(ChatText.Name(c)))
                : ("not valid UTF-8", ChatReplies.InvalidUtf8);
        }

        return null;
    }

    private void Reject(
        ChatMember? member, ReadOnlyMemory<byte> payload, IPEndPoint from, (string Reason, string[] Reply) problem, LineEnding ending)
    {
        var size = payload.Length;
        if (member is not null)
        {
            ChatMetrics.Rejected("invalid");
            ChatLog.Rejected(_logger, size, member.Nickname, from, problem.Reason);
            Reply(from, problem.Reply, ending, size, proven: true);
        }
        else if (LooksLikeJoin(payload.Span))
        {
            ChatMetrics.Rejected("invalid");
            ChatLog.JoinRefused(_logger, from, "?", problem.Reason);
            Reply(from, problem.Reply, ending, size, proven: false);
        }
        else
        {
            ChatMetrics.Rejected("not_joined");
            ChatLog.NotJoined(_logger, size, from, problem.Reason);
            Reply(from, ChatReplies.JoinFirst, ending, size, proven: false);
        }
    }

    private static bool LooksLikeJoin(ReadOnlySpan<byte> payload) =>
        payload.Length >= 5 && Ascii.EqualsIgnoreCase(payload[..5], "/join"u8) && (payload.Length == 5 || payload[5] == (byte)' ');

    /// <summary>
    /// Sends the longest wording that fits in the size of the datagram that caused it for a member (the rule before
    /// address validation), or <see cref="ReplyFactor"/> times that size for an address that has not proved it
    /// receives the server's datagrams; a member whose request is too short for any gets the shortest wording if it
    /// fits in <see cref="ReplyFactor"/> times, so that no invalid request goes unanswered for lack of room.
    /// </summary>
    private void Reply(IPEndPoint to, IReadOnlyList<string> wordings, LineEnding ending, int size, bool proven)
    {
        var bytes = ChatReplies.Fit(wordings, ending, proven ? size : ReplyFactor * size)
            ?? (proven ? ChatReplies.Fit([wordings[^1]], ending, ReplyFactor * size) : null);
        if (bytes is not null)
        {
            _outbox.Add(bytes, to, to.Address);
        }
        else
        {
            ChatLog.ReplySuppressed(_logger, size, to);
        }
    }

    /// <summary>Sends a line to a member, whatever its size: only for what joined members may get.</summary>
    private void SendLine(ChatMember member, string line) =>
        _outbox.Add(ChatReplies.Encode(line, member.Ending), member.EndPoint, member.EndPoint.Address, member.Address);

    /// <summary>
    /// Sends a line to every member but <paramref name="except"/>, counted against <paramref name="cause"/> (the
    /// address of the member whose message it is, if any); returns how many it was sent to.
    /// </summary>
    private int Broadcast(string line, ChatMember? except, IPAddress? cause = null)
    {
        var encoded = new byte[3][];
        var count = 0;
        foreach (var member in _room.Members)
        {
            if (member == except)
            {
                continue;
            }

            var bytes = encoded[(int)member.Ending] ??= ChatReplies.Encode(line, member.Ending);
            _outbox.Add(bytes, member.EndPoint, cause ?? member.EndPoint.Address, member.Address);
            count++;
        }

        return count;
    }

    /// <summary>Takes a token of the address's bucket when there is a limit per address; false when it is empty.</summary>
    private bool AddressAllows(IPAddress address)
    {
        if (_options.RatePerAddress == 0)
        {
            return true;
        }

        if (!_addressBuckets.TryGetValue(address, out var bucket))
        {
            if (_addressBuckets.Count >= 4 * _options.MaxMembers)
            {
                // Full buckets are the same as new ones: forget them rather than grow with ever new addresses.
                foreach (var (known, old) in _addressBuckets)
                {
                    if (old.IsFull)
                    {
                        _addressBuckets.Remove(known);
                    }
                }
            }

            bucket = _addressBuckets[address] = new TokenBucket(_options.RatePerAddress, Math.Max(1, AddressBurst), _time);
        }

        if (bucket.TryTake())
        {
            return true;
        }

        if (_addressRateLog.Count(address, out var dropped))
        {
            ChatLog.AddressRateLimited(_logger, address, _options.RatePerAddress, _room.MembersFrom(address), dropped);
        }

        return false;
    }

    private void MembersChanged()
    {
        var count = _room.Count;
        ChatMetrics.MembersChanged(count - Interlocked.Exchange(ref _memberCount, count));
    }

    /// <summary>Drops members silent for the member timeout and tells the others. Never throws: it runs on a timer.</summary>
    private void Sweep()
    {
        try
        {
            lock (_gate)
            {
                if (_stopped)
                {
                    return;
                }

                var now = _time.GetTimestamp();
                var silent = _room.Members.Where(m => _time.GetElapsedTime(m.LastSeen, now) >= _options.MemberTimeout).ToList();
                foreach (var member in silent)
                {
                    _room.Remove(member);
                    ReleaseNickname(member.Nickname, timedOut: true);
                    MembersChanged();
                    ChatLog.TimedOut(_logger, member.Nickname, member.EndPoint, Durations.Format(_options.MemberTimeout), _room.Count);
                }

                foreach (var member in silent)
                {
                    Broadcast(ChatReplies.TimedOut(member.Nickname), except: null);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            UdpLog.HandlerFailed(_logger, _endPoint, e);
        }
    }

    private static int Utf8Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
