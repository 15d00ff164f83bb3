using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Parley.Shared;
using Parley.Udp;

namespace Parley.Echo;

/// <summary>
/// RFC 862 echo over UDP: every datagram goes back to its sender unchanged and whole, so a reply is never larger than
/// its datagram. As inetd does, datagrams from the server's own address and port, from port 0 and from the ports of
/// other echo-like services (echo 7, daytime 13, quote 17, chargen 19, time 37) are dropped, so that a forged
/// datagram cannot set two services answering each other for ever. An optional rate limit per sender address drops
/// the excess. Drops are counted and reported at most once per <see cref="UdpEchoOptions.ReportInterval"/>, never
/// once per datagram; memory stays flat, as the table of senders is bounded.
/// </summary>
public sealed class UdpEchoHandler : IUdpDatagramHandler
{
    /// <summary>The largest datagram there is over IPv4 (65,535 minus the IP and UDP headers).</summary>
    public const int MaxDatagramBytes = 65_507;

    private readonly UdpEchoOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, EchoSender> _senders = [];
    private readonly HashSet<IPAddress> _ownAddresses = [];
    private EchoSender? _shared;
    private UdpServer? _server;
    private int _ownPort = -1;
    private ITimer? _reportTimer;
    private long _reportedAt;
    private bool _tableFullReported;
    private long _rateLimited;
    private long _servicePorts;
    private long _ownEndPoint;
    private IPEndPoint? _lastServicePort;
    private IPEndPoint? _lastOwnEndPoint;
    private long _totalRateLimited;
    private long _totalServicePorts;
    private long _totalOwnEndPoint;
    private long _echoed;

    /// <summary>Creates the service; <paramref name="timeProvider"/> drives the rate limit and the reports.</summary>
    public UdpEchoHandler(UdpEchoOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RatePerAddress ?? 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Burst ?? 1, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxTrackedAddresses);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReportInterval, TimeSpan.Zero);
        _options = options;
        _burst = options.Burst ?? Math.Max(1, 2 * (options.RatePerAddress ?? 0));
        _logger = loggerFactory.CreateLogger("Parley.Echo");
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string ServiceName => "echo";

    /// <summary>Datagrams sent back so far.</summary>
    public long Echoed => Interlocked.Read(ref _echoed);

    /// <summary>Datagrams dropped so far, for any reason.</summary>
    public long Dropped
    {
        get
        {
            lock (_lock)
            {
                return _totalRateLimited + _rateLimited + _totalServicePorts + _servicePorts + _totalOwnEndPoint + _ownEndPoint;
            }
        }
    }

    /// <summary>How many sender addresses the rate limit tracks now (at most <see cref="UdpEchoOptions.MaxTrackedAddresses"/>).</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_lock)
            {
                return _senders.Count;
            }
        }
    }

    /// <inheritdoc />
    public string DescribeSettings()
    {
        var limit = _options.RatePerAddress is { } rate
            ? string.Create(CultureInfo.InvariantCulture,
                $"at most {rate:0.##} datagrams a second per address (bursts of {_burst:0.##}), {_options.MaxTrackedAddresses} addresses tracked")
            : "no rate limit";
        return $"RFC 862 over UDP, datagrams up to {MaxDatagramBytes} bytes sent back whole, {limit}";
    }

    /// <inheritdoc />
    public void Started(UdpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        _ownPort = server.EndPoint.Port;
        _ownAddresses.Add(server.EndPoint.Address);
        foreach (var endPoint in server.ReachableAt)
        {
            _ownAddresses.Add(endPoint.Address);
        }

        _reportedAt = _time.GetTimestamp();
        _reportTimer = _time.CreateTimer(static state => ((UdpEchoHandler)state!).Report(), this, _options.ReportInterval, _options.ReportInterval);
    }

    /// <inheritdoc />
    public async ValueTask HandleAsync(UdpDatagram datagram)
    {
        var server = _server ?? throw new InvalidOperationException("The handler is not started.");
        var from = datagram.RemoteEndPoint;
        lock (_lock)
        {
            if (!Admit(from))
            {
                return;
            }
        }

        // The server logs the data events, the datagram received and the one sent back.
        if (await server.SendAsync(datagram.Payload, from).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _echoed);
        }
    }

    /// <inheritdoc />
    public async Task StoppingAsync()
    {
        if (_reportTimer is not null)
        {
            await _reportTimer.DisposeAsync().ConfigureAwait(false);
        }

        Report();
        lock (_lock)
        {
            EchoLog.UdpEchoTotals(_logger, Echoed, _totalRateLimited, _totalServicePorts, _totalOwnEndPoint);
        }
    }

    /// <summary>Whether to echo a datagram from <paramref name="from"/>; counts it if not. Called under the lock.</summary>
    private bool Admit(IPEndPoint from)
    {
        if (from.Port is 0 or 7 or 13 or 17 or 19 or 37)
        {
            _servicePorts++;
            EchoMetrics.UdpDropped("service_port");
            _lastServicePort = from;
            return false;
        }

        if (from.Port == _ownPort && (IPAddress.IsLoopback(from.Address) || _ownAddresses.Contains(from.Address)))
        {
            _ownEndPoint++;
            EchoMetrics.UdpDropped("own_endpoint");
            _lastOwnEndPoint = from;
            return false;
        }

        if (_options.RatePerAddress is not { } rate)
        {
            return true;
        }

        if (!_senders.TryGetValue(from.Address, out var sender))
        {
            if (_senders.Count < _options.MaxTrackedAddresses)
            {
                sender = new EchoSender(from.Address, new TokenBucket(rate, _burst, _time));
                _senders.Add(from.Address, sender);
            }
            else
            {
                sender = _shared ??= new EchoSender(null, new TokenBucket(rate, _burst, _time));
                if (!_tableFullReported)
                {
                    _tableFullReported = true;
                    EchoLog.SenderTableFull(_logger, _options.MaxTrackedAddresses);
                }
            }
        }

        if (sender.Bucket.TryTake())
        {
            return true;
        }

        sender.Dropped++;
        _rateLimited++;
        EchoMetrics.UdpDropped("rate_limit");
        return false;
    }

    /// <summary>
    /// Once a report interval: one line per reason for the datagrams dropped since the last report, and the senders
    /// silent long enough to have a full bucket again forgotten (a new bucket would be the same).
    /// </summary>
    private void Report()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var period = Durations.Format(_time.GetElapsedTime(_reportedAt, now));
            _reportedAt = now;
            if (_rateLimited > 0)
            {
                EchoSender? top = null;
                var addresses = 0;
                foreach (var sender in _senders.Values.Append(_shared))
                {
                    if (sender is { Dropped: > 0 })
                    {
                        addresses++;
                        if (top is null || sender.Dropped > top.Dropped)
                        {
                            top = sender;
                        }
                    }
                }

                EchoLog.RateLimitedDatagrams(_logger, _rateLimited, _options.RatePerAddress ?? 0, _burst, period, addresses,
                    top?.Address?.ToString() ?? "addresses beyond the table", top?.Dropped ?? 0);
                _totalRateLimited += _rateLimited;
                _rateLimited = 0;
            }

            if (_servicePorts > 0)
            {
                EchoLog.ServicePortDatagrams(_logger, _servicePorts, period, _lastServicePort!);
                _totalServicePorts += _servicePorts;
                _servicePorts = 0;
            }

            if (_ownEndPoint > 0)
            {
                EchoLog.OwnEndPointDatagrams(_logger, _ownEndPoint, period, _lastOwnEndPoint!);
                _totalOwnEndPoint += _ownEndPoint;
                _ownEndPoint = 0;
            }

            List<IPAddress>? silent = null;
            foreach (var (address, sender) in _senders)
            {
                sender.Dropped = 0;
                if (sender.Bucket.IsFull)
                {
                    (silent ??= []).Add(address);
                }
            }

            foreach (var address in silent ?? [])
            {
                _senders.Remove(address);
            }

            if (_shared is not null)
            {
                _shared.Dropped = 0;
            }

            if (_senders.Count < _options.MaxTrackedAddresses)
            {
                _tableFullReported = false;
            }
        }
    }
}
