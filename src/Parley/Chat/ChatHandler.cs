using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Diagnostics;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>
/// The chat service over a <see cref="UdpServer"/> (docs/protocol.md, "Chat"): members, nicknames, relaying in the
/// order received, history, member timeout, rate limit and the reply-size rule. Datagrams, the member-timeout sweep
/// and stopping take turns through one gate, so the room needs no other locking and relays keep their order.
/// </summary>
public sealed partial class ChatHandler : IUdpDatagramHandler
{
    /// <summary>The longest line the server composes: room is left for a CR LF within the datagram limit.</summary>
    private const int MaxLineBytes = ChatProtocol.MaxDatagramBytes - 2;

    private readonly ChatServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ChatRoom _room;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private UdpServer? _server;
    private ITimer? _sweepTimer;
    private int _sweepPending;
    private int _memberCount;
    private bool _stopped;

    /// <summary>Creates the service; <paramref name="timeProvider"/> drives the member timeout and the rate limit.</summary>
    public ChatHandler(ChatServerOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.History);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMembers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MemberTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Rate);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Burst, 1);
        _options = options;
        _logger = loggerFactory.CreateLogger("Parley.Chat");
        _time = timeProvider ?? TimeProvider.System;
        _room = new ChatRoom(options.History, options.MaxMembers);
    }

    /// <inheritdoc />
    public string ServiceName => "chat";

    /// <summary>How many members the chat has now.</summary>
    public int MemberCount => Volatile.Read(ref _memberCount);

    /// <inheritdoc />
    public string DescribeSettings() => string.Create(CultureInfo.InvariantCulture,
        $"history {_options.History} messages, member timeout {Durations.Format(_options.MemberTimeout)}, rate {_options.Rate:0.##} messages a second (bursts of {_options.Burst:0.##}), at most {_options.MaxMembers} members, datagrams of at most {ChatProtocol.MaxDatagramBytes} bytes");

    /// <inheritdoc />
    public void Started(UdpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        var period = TimeSpan.FromTicks(Math.Clamp(_options.MemberTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _sweepTimer = _time.CreateTimer(static state => ((ChatHandler)state!).ScheduleSweep(), this, period, period);
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(UdpDatagram datagram)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_stopped)
            {
                await HandleInTurnAsync(datagram.Payload, datagram.RemoteEndPoint).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task StoppingAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _stopped = true;
            if (_sweepTimer is not null)
            {
                await _sweepTimer.DisposeAsync().ConfigureAwait(false);
            }

            ChatLog.TellingStop(_logger, _room.Count);
            await BroadcastAsync(ChatReplies.ServerStopping, except: null).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask HandleInTurnAsync(ReadOnlyMemory<byte> payload, IPEndPoint from)
    {
        var size = payload.Length;
        var ending = ChatText.EndingOf(payload.Span);
        var member = _room.Find(from);
        if (member is not null)
        {
            member.LastSeen = _time.GetTimestamp();
            if (!member.Bucket.TryTake())
            {
                // Answer and log the first dropped datagram only: a flood gets silence, not a flood of replies.
                if (member.Dropped++ == 0)
                {
                    ChatLog.RateLimited(_logger, member.Nickname, from, _options.Rate, _options.Burst);
                    await ReplyAsync(from, ChatReplies.TooFast(_options.Rate, _options.Burst), ending, size).ConfigureAwait(false);
                }

                return;
            }

            if (member.Dropped > 0)
            {
                ChatLog.RateLimitEnded(_logger, member.Nickname, from, member.Dropped);
                member.Dropped = 0;
            }

            member.Ending = ending;
        }

        if (Check(payload.Span, out var text) is { } problem)
        {
            await RejectAsync(member, payload, from, problem, ending).ConfigureAwait(false);
            return;
        }

        var request = ChatRequest.Parse(text);
        if (member is null)
        {
            if (request.Kind == ChatRequestKind.Join)
            {
                await JoinAsync(from, request.Argument, ending, size).ConfigureAwait(false);
            }
            else
            {
                ChatLog.NotJoined(_logger, size, from, "not a /join");
                await ReplyAsync(from, ChatReplies.JoinFirst, ending, size).ConfigureAwait(false);
            }

            return;
        }

        await (request.Kind switch
        {
            ChatRequestKind.Text => PublicAsync(member, request.Text, size),
            ChatRequestKind.Join => RepeatJoinAsync(member, request.Argument, size),
            ChatRequestKind.Nick => RenameAsync(member, request.Argument, size),
            ChatRequestKind.Who => WhoAsync(member),
            ChatRequestKind.Msg => PrivateAsync(member, request.Argument, request.Text, size),
            ChatRequestKind.Leave => LeaveAsync(member, size),
            ChatRequestKind.Ping => PingAsync(member, request.Argument, size),
            _ => RefuseAsync(member, $"/{request.Argument}", "unknown command", ChatReplies.UnknownCommand(request.Argument), size),
        }).ConfigureAwait(false);
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

    private async ValueTask RejectAsync(
        ChatMember? member, ReadOnlyMemory<byte> payload, IPEndPoint from, (string Reason, string[] Reply) problem, LineEnding ending)
    {
        var size = payload.Length;
        if (member is not null)
        {
            ChatLog.Rejected(_logger, size, member.Nickname, from, problem.Reason);
            await ReplyAsync(from, problem.Reply, ending, size).ConfigureAwait(false);
        }
        else if (LooksLikeJoin(payload.Span))
        {
            ChatLog.JoinRefused(_logger, from, "?", problem.Reason);
            await ReplyAsync(from, problem.Reply, ending, size).ConfigureAwait(false);
        }
        else
        {
            ChatLog.NotJoined(_logger, size, from, problem.Reason);
            await ReplyAsync(from, ChatReplies.JoinFirst, ending, size).ConfigureAwait(false);
        }
    }

    private static bool LooksLikeJoin(ReadOnlySpan<byte> payload) =>
        payload.Length >= 5 && Ascii.EqualsIgnoreCase(payload[..5], "/join"u8) && (payload.Length == 5 || payload[5] == (byte)' ');

    /// <summary>
    /// Sends the longest wording that fits in <paramref name="limit"/> bytes, the size of the datagram that caused
    /// it, or nothing when none does.
    /// </summary>
    private async ValueTask ReplyAsync(IPEndPoint to, IReadOnlyList<string> wordings, LineEnding ending, int limit)
    {
        if (ChatReplies.Fit(wordings, ending, limit) is { } bytes)
        {
            await _server!.SendAsync(bytes, to).ConfigureAwait(false);
        }
        else
        {
            ChatLog.ReplySuppressed(_logger, limit, to);
        }
    }

    /// <summary>Sends a line to a member, whatever its size: only for what joined members may get.</summary>
    private ValueTask<bool> SendLineAsync(ChatMember member, string line) =>
        _server!.SendAsync(ChatReplies.Encode(line, member.Ending), member.EndPoint);

    /// <summary>Sends a line to every member but <paramref name="except"/>, in turn; returns how many it was sent to.</summary>
    private async ValueTask<int> BroadcastAsync(string line, ChatMember? except)
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
            await _server!.SendAsync(bytes, member.EndPoint).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    private void MembersChanged() => Volatile.Write(ref _memberCount, _room.Count);

    private void ScheduleSweep()
    {
        if (Interlocked.Exchange(ref _sweepPending, 1) == 0)
        {
            _ = SweepAsync();
        }
    }

    /// <summary>Drops members silent for the member timeout and tells the others. Never throws: it runs on a timer.</summary>
    private async Task SweepAsync()
    {
        try
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Volatile.Write(ref _sweepPending, 0);
                if (_stopped)
                {
                    return;
                }

                var now = _time.GetTimestamp();
                var silent = _room.Members.Where(m => _time.GetElapsedTime(m.LastSeen, now) >= _options.MemberTimeout).ToList();
                foreach (var member in silent)
                {
                    _room.Remove(member);
                    MembersChanged();
                    ChatLog.TimedOut(_logger, member.Nickname, member.EndPoint, Durations.Format(_options.MemberTimeout), _room.Count);
                }

                foreach (var member in silent)
                {
                    await BroadcastAsync(ChatReplies.TimedOut(member.Nickname), except: null).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            UdpLog.HandlerFailed(_logger, _server?.EndPoint ?? new IPEndPoint(IPAddress.None, 0), e);
        }
    }

    private static int Utf8Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
