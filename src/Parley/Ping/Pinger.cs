using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Echo;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Ping;

/// <summary>
/// Probes an echo server the way ping probes a host: each probe opens a TCP connection (timing the connect),
/// sends <see cref="PingOptions.Size"/> bytes, and times their echo, checking it byte for byte. The name is
/// resolved once; the first probe tries every address in the resolver's order, and later probes stay with the
/// address that first accepted a connection, so that the times measure one path.
/// </summary>
public sealed class Pinger
{
    private readonly string _host;
    private readonly int _port;
    private readonly PingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a pinger of <paramref name="host"/> on <paramref name="port"/>.</summary>
    public Pinger(string host, int port, PingOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        PingSettings.Check(host, port, options.Count, options.Interval, options.ReplyTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Size, PingOptions.MaxSize);
        _host = host;
        _port = port;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The host and port as a user types them: <c>host:9000</c>, <c>[::1]:9000</c>.</summary>
    public string Target => HostPort.Format(_host, _port);

    /// <summary>
    /// Resolves the host, then sends the probes, one at a time, <see cref="PingOptions.Interval"/> apart. Cancelling
    /// <paramref name="cancellationToken"/> ends the run early with the report so far (the probe in flight is not
    /// counted); it does not throw.
    /// </summary>
    /// <param name="resolved">Called once with the addresses, before the first probe.</param>
    /// <param name="probed">Called after each probe.</param>
    /// <param name="cancellationToken">Ends the run.</param>
    /// <exception cref="ConnectException">The host name does not resolve (<see cref="ConnectFailure.UnknownHost"/>).</exception>
    public async Task<PingReport> RunAsync(
        Action<IReadOnlyList<IPAddress>>? resolved = null, Action<ProbeResult>? probed = null, CancellationToken cancellationToken = default)
    {
        var probes = new List<ProbeResult>();
        IPAddress[] addresses = [];
        var started = _time.GetTimestamp();
        var interrupted = false;
        try
        {
            addresses = await TcpConnector.ResolveAsync(_host, _port, _options.Connect.AddressFamily, cancellationToken).ConfigureAwait(false);
            resolved?.Invoke(addresses);
            PingLog.PingStarting(_logger, Target, string.Join(", ", addresses.Select(a => a.ToString())), DescribeSettings());

            // Through the real logger, so that its first-use costs are paid here too, not inside probe 1's times.
            await PingWarmUp.RunAsync(
                (address, port, ct) =>
                {
                    PingLog.PingWarmUp(_logger, new IPEndPoint(address, port));
                    // Plain TCP: the loopback echo does not speak TLS. With --tls, probe 1 pays TLS's first-use costs.
                    return ProbeAsync(0, address.ToString(), [address], port, WarmUpConnect, _logger, ct);
                },
                cancellationToken).ConfigureAwait(false);
            IReadOnlyList<IPAddress> candidates = addresses;
            started = _time.GetTimestamp();
            var probeStarted = started;
            for (var sequence = 1; _options.Count == 0 || sequence <= _options.Count; sequence++)
            {
                if (sequence > 1)
                {
                    // Anchored on the previous probe's start, so that a slow probe is followed at once, not by a burst.
                    var wait = _options.Interval - _time.GetElapsedTime(probeStarted);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                probeStarted = _time.GetTimestamp();
                var result = await ProbeAsync(sequence, candidates, cancellationToken).ConfigureAwait(false);
                if (result.EndPoint is { } reached && candidates.Count > 1)
                {
                    candidates = [reached.Address];
                }

                probes.Add(result);
                Log(result);
                probed?.Invoke(result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        var report = PingReport.Of(_host, _port, addresses, probes, _time.GetElapsedTime(started), interrupted);
        var statistics = report.Statistics;
        PingLog.PingFinished(_logger, Target, interrupted ? "interrupted" : "done", statistics.Sent, statistics.Answered, statistics.Lost);
        return report;
    }

    /// <summary>One probe: connect to the first of <paramref name="addresses"/> that answers, then one echo.</summary>
    internal Task<ProbeResult> ProbeAsync(int sequence, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken) =>
        ProbeAsync(sequence, _host, addresses, _port, _options.Connect, _logger, cancellationToken);

    private ConnectOptions WarmUpConnect => new() { Timeout = _options.Connect.Timeout, AddressFamily = _options.Connect.AddressFamily };

    private async Task<ProbeResult> ProbeAsync(
        int sequence, string host, IReadOnlyList<IPAddress> addresses, int port, ConnectOptions connect, ILogger logger,
        CancellationToken cancellationToken)
    {
        var payload = PingPayload.Create(sequence, _options.Size, _options.Mode);
        var target = HostPort.Format(host, port);
        // One address at a time, in the resolver's order, so that the connect time is that of the address reached,
        // and the probe can say which addresses it passed over, and why.
        var failures = new List<(IPEndPoint EndPoint, string Reason, ConnectException Error)>();
        ClientConnection? connection = null;
        var connectTime = TimeSpan.Zero;
        foreach (var address in addresses)
        {
            var endPoint = new IPEndPoint(address, port);
            var connectStarted = _time.GetTimestamp();
            try
            {
                connection = await TcpConnector.ConnectAsync(host, [address], port, connect, logger, cancellationToken)
                    .ConfigureAwait(false);
                connectTime = _time.GetElapsedTime(connectStarted);
                break;
            }
            catch (Tls.TlsException e) when (e.HandshakeFailed)
            {
                // Connected, then the handshake failed: that address was reached, so no other is tried. A refused
                // certificate is not caught here: it is no network condition, and ends the whole ping.
                return new ProbeResult
                {
                    Sequence = sequence,
                    Status = ProbeStatus.TlsFailed,
                    Message = e.Message,
                    Hint = ProbeStatusText.Hint(ProbeStatus.TlsFailed, port),
                    EndPoint = endPoint,
                    ConnectTime = _time.GetElapsedTime(connectStarted),
                    Skipped = failures.Select(f => $"{f.EndPoint}: {f.Reason}").ToList(),
                };
            }
            catch (ConnectException e)
            {
                var prefix = $"cannot connect to {target}: ";
                var reason = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
                failures.Add((endPoint, reason, e));
                if (failures.Count < addresses.Count)
                {
                    TcpLog.ConnectAttemptFailed(logger, endPoint, reason);
                }
            }
        }

        var skipped = failures.Select(f => $"{f.EndPoint}: {f.Reason}").ToList();
        if (connection is null)
        {
            var last = failures[^1];
            var reason = failures.Select(f => f.Error.Failure).Distinct().Count() == 1
                ? last.Reason
                : string.Join("; ", failures.Select(f => $"{f.EndPoint.Address}: {f.Reason}"));
            return new ProbeResult
            {
                Sequence = sequence,
                Status = ProbeStatusText.From(last.Error.Failure),
                Message = $"cannot connect to {target}: {reason}",
                Hint = last.Error.Hint,
            };
        }

        await using (connection.ConfigureAwait(false))
        {
            var result = await EchoAsync(sequence, connection, payload, cancellationToken).ConfigureAwait(false);
            if (result.IsAnswered)
            {
                try
                {
                    // Say goodbye with a half-close, so that the server sees an orderly end rather than a reset.
                    await connection.ShutdownSendAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    // Best effort: the echo is already complete, and the connection is closed next anyway.
                }
            }

            return result with { ConnectTime = connectTime, Skipped = skipped };
        }
    }

    private async Task<ProbeResult> EchoAsync(int sequence, ClientConnection connection, byte[] payload, CancellationToken cancellationToken)
    {
        var endPoint = connection.RemoteEndPoint;
        var at = HostPort.Format(endPoint.Address.ToString(), endPoint.Port);
        using var timeout = new CancellationTokenSource(_options.ReplyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var received = 0;
        ProbeResult Lost(ProbeStatus status, string message) => new()
        {
            Sequence = sequence,
            Status = status,
            EndPoint = endPoint,
            BytesSent = payload.Length,
            BytesReceived = received,
            Message = message,
            Hint = ProbeStatusText.Hint(status, _port),
        };

        var started = _time.GetTimestamp();
        // Send and receive at once: a large probe would otherwise fill both ways' buffers and stall.
        var sending = connection.Stream.WriteAsync(payload, linked.Token).AsTask();
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(payload.Length, 64 * 1024));
        try
        {
            while (received < payload.Length)
            {
                var n = await connection.Stream.ReadAsync(
                    buffer.AsMemory(0, Math.Min(buffer.Length, payload.Length - received)), linked.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return Lost(ProbeStatus.Closed,
                        string.Create(CultureInfo.InvariantCulture, $"{at} closed the connection after {received} of {payload.Length} bytes of the echo"));
                }

                var same = buffer.AsSpan(0, n).CommonPrefixLength(payload.AsSpan(received, n));
                if (same < n)
                {
                    var preview = DataPreview.Of(buffer.AsSpan(0, n));
                    received += same;
                    return Lost(ProbeStatus.Mismatch,
                        string.Create(CultureInfo.InvariantCulture, $"{at} sent back something other than the echo from byte {received}: \"{preview}\""));
                }

                received += n;
            }

            var roundTrip = _time.GetElapsedTime(started);
            return new ProbeResult
            {
                Sequence = sequence,
                Status = ProbeStatus.Answered,
                EndPoint = endPoint,
                RoundTrip = roundTrip,
                BytesSent = payload.Length,
                BytesReceived = received,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var within = Durations.Format(_options.ReplyTimeout);
            return Lost(ProbeStatus.NoEcho, received == 0
                ? $"connected to {at}, but no echo came back within {within}"
                : string.Create(CultureInfo.InvariantCulture, $"connected to {at}, but only {received} of {payload.Length} bytes of the echo came back within {within}"));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return SocketErrors.Code(e) is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
                ? Lost(ProbeStatus.Reset, string.Create(CultureInfo.InvariantCulture, $"{at} reset the connection after {received} of {payload.Length} bytes of the echo"))
                : Lost(ProbeStatus.Failed, $"connection to {at} failed: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!sending.IsCompleted)
            {
                await linked.CancelAsync().ConfigureAwait(false);
            }

            try
            {
                await sending.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // What came back (or did not) decides the outcome; a send that failed shows up there too.
            }
        }
    }

    private void Log(ProbeResult result)
    {
        if (result is { IsAnswered: true, EndPoint: { } endPoint, ConnectTime: { } connect, RoundTrip: { } roundTrip })
        {
            PingLog.ProbeAnswered(_logger, result.Sequence, endPoint, connect.TotalMilliseconds, roundTrip.TotalMilliseconds);
        }
        else
        {
            PingLog.ProbeLost(_logger, result.Sequence, Target, result.Message);
        }
    }

    private string DescribeSettings()
    {
        var mode = _options.Mode switch
        {
            EchoMode.Raw => "raw",
            EchoMode.Framed => "framed",
            _ => "line",
        };
        return $"{_options.Size}-byte {mode} probes, {PingSettings.DescribeCount(_options.Count)}, {Durations.Format(_options.Interval)} apart, "
            + $"connect timeout {Durations.Format(_options.Connect.Timeout)}, reply timeout {Durations.Format(_options.ReplyTimeout)}";
    }
}
