using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Ping;

/// <summary>
/// Probes a UDP echo server (RFC 862, Parley's or any other) the way ping probes a host: one datagram every
/// <see cref="UdpPingOptions.Interval"/>, each carrying a run id, a sequence number and its send time, from one
/// connected socket (so the system reports an ICMP port unreachable, and datagrams from anyone but the target never
/// reach it). Replies are matched by run id and sequence number, never by arrival order (<see cref="UdpPingTally"/>).
/// The name is resolved once and its first address used.
/// </summary>
public sealed class UdpPinger
{
    private readonly string _host;
    private readonly int _port;
    private readonly UdpPingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _allSettled;
    private bool _warmingUp;
    private int _running;

    /// <summary>Creates a pinger of <paramref name="host"/> on <paramref name="port"/>.</summary>
    public UdpPinger(string host, int port, UdpPingOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        PingSettings.Check(host, port, options.Count, options.Interval, options.ReplyTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, UdpPingOptions.MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Size, UdpPingOptions.MaxSize);
        _host = host;
        _port = port;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The host and port as a user types them: <c>host:9000</c>, <c>[::1]:9000</c>.</summary>
    public string Target => HostPort.Format(_host, _port);

    /// <summary>
    /// Resolves the host, then sends the probes and waits for the last one's reply or timeout. Cancelling
    /// <paramref name="cancellationToken"/> ends the run early with the report so far (probes still waiting for
    /// their reply are left out, and counted as in flight); it does not throw.
    /// </summary>
    /// <param name="resolved">Called once with the addresses, before the first probe.</param>
    /// <param name="observed">Called for every probe settled and every datagram received, one call at a time.</param>
    /// <param name="cancellationToken">Ends the run.</param>
    /// <exception cref="ConnectException">The host name does not resolve (<see cref="ConnectFailure.UnknownHost"/>).</exception>
    /// <exception cref="InvalidOperationException">A run of this pinger is going on: one at a time.</exception>
    public async Task<UdpPingReport> RunAsync(
        Action<IReadOnlyList<IPAddress>>? resolved = null, Action<UdpPingEvent>? observed = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("A run of this pinger is going on: one at a time.");
        }

        try
        {
            return await RunOnceAsync(resolved, observed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task<UdpPingReport> RunOnceAsync(
        Action<IReadOnlyList<IPAddress>>? resolved, Action<UdpPingEvent>? observed, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPAddress> addresses = [];
        var tally = new UdpPingTally(Random.Shared.NextInt64(), _options.Size, _options.ReplyTimeout, _port, _time);
        var started = _time.GetTimestamp();
        var interrupted = false;
        try
        {
            addresses = await TcpConnector.ResolveAsync(_host, _port, _options.AddressFamily, cancellationToken).ConfigureAwait(false);
            resolved?.Invoke(addresses);
            var target = new IPEndPoint(addresses[0], _port);
            UdpPingLog.Starting(_logger, Target, target, string.Join(", ", addresses), DescribeSettings());
            await WarmUpAsync(cancellationToken).ConfigureAwait(false);
            started = _time.GetTimestamp();
            await ProbeAsync(target, _options.Count, tally, observed, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        lock (_lock)
        {
            var report = tally.Report(_host, addresses, _time.GetElapsedTime(started), interrupted);
            var s = report.Ping.Statistics;
            UdpPingLog.Finished(_logger, Target, interrupted ? "interrupted" : "done", s.Sent, s.Answered, s.Lost, report.Late,
                report.Duplicates, report.Reordered, report.Corrupted, report.Foreign);
            return report;
        }
    }

    /// <summary>
    /// One probe against a loopback echo of our own before the first real probe, so that the first probe measures the
    /// network, not the JIT compiling the socket and probe code; the target is sent nothing extra. Best effort.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var endPoint = (IPEndPoint)echo.LocalEndPoint!;
            UdpPingLog.WarmUp(_logger, endPoint);
            var echoing = EchoOnceAsync(echo, limit.Token);
            var tally = new UdpPingTally(Random.Shared.NextInt64(), _options.Size, TimeSpan.FromSeconds(1), endPoint.Port, _time);
            _warmingUp = true;
            await ProbeAsync(endPoint, 1, tally, null, limit.Token).ConfigureAwait(false);
            await echoing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Best effort: without loopback (a bare network namespace), the first probe is just slower.
        }
        finally
        {
            _warmingUp = false;
        }
    }

    private static async Task EchoOnceAsync(Socket echo, CancellationToken cancellationToken)
    {
        var buffer = new byte[UdpPingOptions.MaxSize];
        var received = await echo.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
        await echo.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="count"/> probes (0: until cancelled) to <paramref name="target"/> from a socket of its own.</summary>
    private async Task ProbeAsync(IPEndPoint target, int count, UdpPingTally tally, Action<UdpPingEvent>? observed, CancellationToken cancellationToken)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        SocketException? unusable = null;
        try
        {
            socket.Connect(target);
        }
        catch (SocketException e)
        {
            // No route to the address: every probe will say so, as sending fails the same way.
            unusable = e;
        }

        using var stopReceiving = new CancellationTokenSource();
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = unusable is null ? ReceiveLoopAsync(socket, target, tally, observed, stopReceiving.Token) : Task.CompletedTask;
        var sending = SendLoopAsync(socket, target, count, unusable, tally, observed, stopSending.Token);
        try
        {
            if (await Task.WhenAny(sending, receiving).ConfigureAwait(false) == receiving && receiving.IsFaulted)
            {
                // The observer failed on a reply (standard output closed, say): stop sending, and let that failure end the run.
                await stopSending.CancelAsync().ConfigureAwait(false);
                await sending.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            await sending.ConfigureAwait(false);
        }
        finally
        {
            await stopReceiving.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the probes, each <see cref="UdpPingOptions.Interval"/> after the previous one's sending, and settles those
    /// whose reply timeout passes; ends when every probe is sent and settled.
    /// </summary>
    private async Task SendLoopAsync(
        Socket socket, IPEndPoint target, int count, SocketException? unusable, UdpPingTally tally, Action<UdpPingEvent>? observed,
        CancellationToken cancellationToken)
    {
        var datagram = new byte[_options.Size];
        long? nextSendAt = _time.GetTimestamp();
        var interval = (long)(_options.Interval.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _time.GetTimestamp();
            TaskCompletionSource settled;
            long? wakeAt;
            lock (_lock)
            {
                Report(tally.Expire(now), observed);
                if (nextSendAt is { } due && due <= now)
                {
                    var sequence = tally.Sending(now);
                    UdpProbePayload.Write(datagram, tally.RunId, sequence, now);
                    nextSendAt = count != 0 && sequence >= count ? null : now + interval;
                    // Sent under the lock, so that a reply (on loopback, at once) finds the probe recorded.
                    Send(socket, target, datagram, sequence, unusable, tally, observed);
                    continue;
                }

                // Once every probe is settled, late replies to those lost are awaited until the last one's deadline.
                var lateWindowEnd = tally.LateWindowEnd;
                if (nextSendAt is null && tally.Pending == 0 && (lateWindowEnd is not { } end || end <= now))
                {
                    return;
                }

                wakeAt = Earliest(nextSendAt, tally.NextDeadline ?? lateWindowEnd);
                settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _allSettled = nextSendAt is null ? settled : null;
            }

            var wait = wakeAt is { } at ? TimeSpan.FromTicks(Math.Max(0, _time.GetElapsedTime(now, at).Ticks)) : Timeout.InfiniteTimeSpan;
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, _time, waiting.Token);
            await Task.WhenAny(delay, settled.Task).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends probe <paramref name="sequence"/>; when the system refuses, the probe is lost at once with its reason.
    /// </summary>
    private void Send(
        Socket socket, IPEndPoint target, byte[] datagram, int sequence, SocketException? unusable, UdpPingTally tally, Action<UdpPingEvent>? observed)
    {
        var failure = unusable;
        for (var attempt = 0; failure is null; attempt++)
        {
            try
            {
                // Blocking is fine: a UDP send only copies the datagram into the socket's buffer.
                socket.Send(datagram);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && attempt == 0)
            {
                // The ICMP port unreachable of an earlier probe, reported on this send, which did not go out: the
                // oldest probe waiting is lost to it, and this one is sent again.
                Report(tally.Fail(null, ProbeStatus.Refused, Unreachable, UdpPingTally.UnreachableHint(_port)), observed);
            }
            catch (SocketException e)
            {
                failure = e;
            }
        }

        UdpPingLog.SocketError(_logger, failure.SocketErrorCode.ToString(), target);
        var (status, message, hint) = Explain(failure);
        Report(tally.Fail(sequence, status, message, hint), observed);
    }

    private async Task ReceiveLoopAsync(Socket socket, IPEndPoint target, UdpPingTally tally, Action<UdpPingEvent>? observed, CancellationToken stop)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(UdpPingOptions.MaxSize + 1);
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An ICMP error for a probe sent: port unreachable (nothing listens), host or network unreachable.
                UdpPingLog.SocketError(_logger, e.SocketErrorCode.ToString(), target);
                var (status, message, hint) = Explain(e);
                lock (_lock)
                {
                    Report(tally.Fail(null, status, message, hint), observed);
                }

                continue;
            }

            var now = _time.GetTimestamp();
            lock (_lock)
            {
                // Deadlines first, so that a reply after its probe's timeout counts as late, whoever noticed first.
                Report(tally.Expire(now), observed);
                Report(tally.Received(buffer.AsSpan(0, received), target, now), observed);
            }
        }
    }

    private string Unreachable => string.Create(CultureInfo.InvariantCulture, $"nothing listens on UDP port {_port} there");

    private (ProbeStatus Status, string Message, string Hint) Explain(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused or SocketError.ConnectionReset => (ProbeStatus.Refused, Unreachable, UdpPingTally.UnreachableHint(_port)),
        SocketError.NetworkUnreachable => (ProbeStatus.NoRoute, "network unreachable", TcpConnector.Hint(ConnectFailure.NoRoute, _port)),
        SocketError.HostUnreachable => (ProbeStatus.NoRoute, "no route to host", TcpConnector.Hint(ConnectFailure.NoRoute, _port)),
        SocketError.MessageSize => (ProbeStatus.Failed, $"the datagram is too large for the path: {e.Message}", "send smaller probes (--size)"),
        _ => (ProbeStatus.Failed, e.Message, TcpConnector.Hint(ConnectFailure.Other, _port)),
    };

    private void Report(IEnumerable<UdpPingEvent> events, Action<UdpPingEvent>? observed)
    {
        foreach (var e in events)
        {
            Report(e, observed);
        }
    }

    /// <summary>Logs an event and hands it to the observer; called under the lock, so events come one at a time.</summary>
    private void Report(UdpPingEvent? e, Action<UdpPingEvent>? observed)
    {
        if (e is null)
        {
            return;
        }

        if (!_warmingUp)
        {
            Log(e);
            observed?.Invoke(e);
        }

        if (_allSettled is { } settled && e.Kind is UdpPingEventKind.Answered or UdpPingEventKind.Lost or UdpPingEventKind.Late)
        {
            settled.TrySetResult();
        }
    }

    private void Log(UdpPingEvent e)
    {
        switch (e.Kind)
        {
            case UdpPingEventKind.Answered:
                UdpPingLog.Answered(_logger, e.Sequence, e.From!, e.RoundTrip!.Value.TotalMilliseconds);
                break;
            case UdpPingEventKind.Lost:
                UdpPingLog.Lost(_logger, e.Sequence, Target, e.Message);
                break;
            case UdpPingEventKind.Late:
                UdpPingLog.Late(_logger, e.Sequence, e.From!, e.RoundTrip!.Value.TotalMilliseconds);
                break;
            case UdpPingEventKind.Duplicate:
                UdpPingLog.Duplicate(_logger, e.Sequence, e.From!);
                break;
            case UdpPingEventKind.Corrupted:
                UdpPingLog.Corrupted(_logger, e.Message);
                break;
            default:
                UdpPingLog.Foreign(_logger, e.Message);
                break;
        }
    }

    private static long? Earliest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private string DescribeSettings()
    {
        return $"{_options.Size}-byte datagrams, {PingSettings.DescribeCount(_options.Count)}, {Durations.Format(_options.Interval)} apart, reply timeout {Durations.Format(_options.ReplyTimeout)}";
    }
}
