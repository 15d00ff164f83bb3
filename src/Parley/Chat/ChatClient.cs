using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Parley.Shared;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>
/// A member's session with a chat server (docs/protocol.md, "Chat"): sends what the user types, paced under the
/// server's rate limit; delivers what arrives as <see cref="Events"/>, in order; pings every
/// <see cref="ChatClientOptions.PingInterval"/>, reports silence after <see cref="ChatClientOptions.ServerTimeout"/>, joins
/// again by itself when the server has forgotten it, and ends when the server stops or its port is reported closed.
/// </summary>
public sealed partial class ChatClient : IAsyncDisposable
{
    /// <summary>The size commands are padded to (see <see cref="Padded"/>).</summary>
    internal const int PaddedCommandBytes = 200;

    private static readonly string[] Forgotten = ChatReplies.JoinFirst;

    private readonly Socket _socket;
    private readonly ChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<ChatEvent> _events = Channel.CreateBounded<ChatEvent>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TokenBucket _pace;
    private readonly ConcurrentDictionary<string, (TaskCompletionSource<TimeSpan?> Pong, long SentAt)> _pings = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiveLoop;
    private readonly ITimer _ticker;
    private volatile string _nickname;
    private long _lastHeard;
    private long _lastPing;
    private long _pingCounter;
    private int _silent;
    private int _rejoining;
    private int _leaving;
    private int _endReason;

    private ChatClient(
        Socket socket, string target, IPEndPoint endPoint, string welcome, ChatClientOptions options, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        Target = target;
        RemoteEndPoint = endPoint;
        _options = options;
        _logger = logger;
        _time = time;
        _pace = new TokenBucket(options.Rate, options.Burst, time);
        _pace.TryTake();
        _nickname = NicknameOf(welcome) ?? "";
        ChatLog.ClientJoined(logger, target, endPoint, _nickname);
        _lastHeard = _lastPing = time.GetTimestamp();
        _events.Writer.TryWrite(new ChatEvent(ChatEventKind.Message, welcome));
        _receiveLoop = ReceiveLoopAsync();
        var tick = TimeSpan.FromTicks(Math.Clamp(
            Math.Min(options.PingInterval.Ticks, options.ServerTimeout.Ticks) / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        _ticker = time.CreateTimer(static state => ((ChatClient)state!).Tick(), this, tick, tick);
    }

    /// <summary>The server as the user named it, <c>host:port</c>.</summary>
    public string Target { get; }

    /// <summary>The server's address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The nickname now, as the server spelled it in its last confirmation.</summary>
    public string Nickname => _nickname;

    /// <summary>What happens, in order; completes after the <see cref="ChatEventKind.Ended"/> event.</summary>
    public ChannelReader<ChatEvent> Events => _events.Reader;

    /// <summary>Why the session ended, or <see cref="ChatEndReason.None"/> while it goes on.</summary>
    public ChatEndReason EndReason => (ChatEndReason)Volatile.Read(ref _endReason);

    /// <summary>
    /// Sends a line as typed: text for everyone, or a command (<c>/msg bob hi</c>). Waits while the client is over its
    /// own pace. Returns <see langword="false"/> when the session has ended (<see cref="EndReason"/> says why).
    /// </summary>
    /// <exception cref="ArgumentException">The text cannot travel (<see cref="ChatText.Problem"/> says why).</exception>
    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ChatText.Problem(text) is { } problem)
        {
            throw new ArgumentException(problem, nameof(text));
        }

        return SendRawAsync(text, log: true, cancellationToken);
    }

    /// <summary>
    /// Sends <c>/ping</c> and waits for its <c>/pong</c>: the round-trip time, or <see langword="null"/> when none came
    /// within <paramref name="timeout"/> or the session ended. The server answers in order, so once the
    /// <c>/pong</c> is in, every answer to what was sent before it has been sent.
    /// </summary>
    public async Task<TimeSpan?> PingAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var token = "p" + Interlocked.Increment(ref _pingCounter).ToString(CultureInfo.InvariantCulture);
        var pong = new TaskCompletionSource<TimeSpan?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[token] = (pong, _time.GetTimestamp());
        try
        {
            if (!await SendRawAsync($"/ping {token}", log: true, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return await pong.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pings.TryRemove(token, out _);
        }
    }

    /// <summary>Sends <c>/leave</c> and ends the session.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        // What arrives from now on (the server's goodbye) is not for anyone to see any more.
        Volatile.Write(ref _leaving, 1);
        if (EndReason == ChatEndReason.None && await SendRawAsync("/leave", log: true, cancellationToken).ConfigureAwait(false))
        {
            ChatLog.ClientLeft(_logger, Target);
        }

        End(ChatEndReason.Left, "left the chat");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        End(ChatEndReason.Left, "closed");
        await _ticker.DisposeAsync().ConfigureAwait(false);
        await _closing.CancelAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        _socket.Dispose();
        _closing.Dispose();
    }

    private async ValueTask<bool> SendRawAsync(string text, bool log, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(Padded(text));
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (EndReason != ChatEndReason.None)
            {
                return false;
            }

            for (var wait = _pace.TimeUntilAvailable(); wait > TimeSpan.Zero; wait = _pace.TimeUntilAvailable())
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            _pace.TryTake();
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (log)
            {
                ChatLog.ClientSent(_logger, bytes.Length);
            }

            return true;
        }
        catch (SocketException e) when (UdpSocketErrors.IsPortUnreachable(e))
        {
            Unreachable();
            return false;
        }
        catch (SocketException e)
        {
            // No route, network down: the datagram is lost, as UDP datagrams may be; silence will tell if it lasts.
            ChatLog.ClientSendFailed(_logger, bytes.Length, e.Message);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The timer: a keep-alive ping when due, and the silence check. Never throws.</summary>
    private void Tick()
    {
        if (EndReason != ChatEndReason.None)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastPing), now) >= _options.PingInterval)
        {
            Interlocked.Exchange(ref _lastPing, now);
            _ = KeepAliveAsync();
        }

        var silence = _time.GetElapsedTime(Interlocked.Read(ref _lastHeard), now);
        if (silence >= _options.ServerTimeout && Interlocked.Exchange(ref _silent, 1) == 0)
        {
            ChatLog.ClientServerSilent(_logger, Target, Durations.Format(silence));
            Publish(ChatEventKind.ServerNotResponding, $"server not responding: nothing heard from {Target} for {Durations.Format(silence)}");
        }
    }

    private async Task KeepAliveAsync()
    {
        var token = "k" + Interlocked.Increment(ref _pingCounter).ToString(CultureInfo.InvariantCulture);
        try
        {
            ChatLog.ClientKeepAlive(_logger, token);
            await SendRawAsync($"/ping {token}", log: false, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The session is closing: no keep-alive needed.
        }
    }

    private void Unreachable()
    {
        ChatLog.ClientUnreachable(_logger, Target);
        End(ChatEndReason.ServerUnreachable,
            $"server unreachable: {RemoteEndPoint} reports nothing listening on UDP port {RemoteEndPoint.Port} (the chat server stopped or crashed)");
    }

    private void Publish(ChatEventKind kind, string text) => _events.Writer.TryWrite(new ChatEvent(kind, text));

    /// <summary>Ends the session once: the first reason wins, pending pings give up, the events end.</summary>
    private void End(ChatEndReason reason, string text)
    {
        if (Interlocked.CompareExchange(ref _endReason, (int)reason, (int)ChatEndReason.None) != (int)ChatEndReason.None)
        {
            return;
        }

        foreach (var ping in _pings.Values)
        {
            ping.Pong.TrySetResult(null);
        }

        _events.Writer.TryWrite(new ChatEvent(ChatEventKind.Ended, text));
        _events.Writer.TryComplete();
    }

    /// <summary>
    /// Pads a command (a line that starts with one <c>/</c>) with spaces, which the server ignores after a command, to
    /// <see cref="PaddedCommandBytes"/>: the server never answers with more bytes than it was sent, and this buys room
    /// for its whole explanation when it refuses something.
    /// </summary>
    internal static string Padded(string text)
    {
        if (!text.StartsWith('/') || text.StartsWith("//", StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes >= PaddedCommandBytes ? text : text + new string(' ', PaddedCommandBytes - bytes);
    }
}
