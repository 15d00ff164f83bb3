using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Epoll;
using Parley.Framing;
using Parley.Net;
using Parley.Tcp;

namespace Parley.Bench;

/// <summary>
/// The load generator behind <c>parley bench</c>: opens connections to an echo server, loads them (ping-pong,
/// stream, idle or flood), checks every byte that comes back against what was sent, and measures round trips per
/// second, MiB/s per connection and round-trip latency (HdrHistogram). All I/O is asynchronous; no thread per
/// connection.
/// </summary>
public sealed class LoadGenerator
{
    // Latencies in nanoseconds, from 1 ns to 1 minute, 3 significant digits; longer ones are clamped to the top.
    private const long HighestLatency = 60_000_000_000;
    private static readonly double NanosecondsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

    private readonly ILogger _logger;
    private readonly LongConcurrentHistogram _latency = new(1, HighestLatency, 3);
    private readonly TaskCompletionSource _draining = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BenchConnection[] _connections = [];
    private volatile int _phase;
    private long _phaseStarted = Stopwatch.GetTimestamp();
    private volatile bool _drainTimedOut;
    private int _open;

    /// <summary>Creates a generator; nothing is connected until <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public LoadGenerator(BenchOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Connections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MessageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MessageSize, 64 * 1024 * 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadChunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConnectConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Warmup, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DrainTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyPoll, TimeSpan.Zero);
        if (options.Framing == BenchFraming.Length && options.Connect.Tls is not null)
        {
            throw new ArgumentException("Length framing is read with MessageSocket, over plain TCP only.", nameof(options));
        }

        Options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Parley.Bench");
    }

    /// <summary>The options the generator was created with.</summary>
    public BenchOptions Options { get; }

    /// <summary>Where the run is now.</summary>
    public BenchPhase Phase => (BenchPhase)_phase;

    /// <summary>The figures so far; cheap enough to read once a second, from any thread.</summary>
    public BenchProgress Progress
    {
        get
        {
            var phase = Phase;
            long roundTrips = 0, sent = 0, received = 0, problems = 0;
            foreach (var c in Volatile.Read(ref _connections))
            {
                roundTrips += c.MessagesEchoed;
                sent += c.BytesSent;
                received += c.BytesReceived;
                problems += c.Mismatched + (c.Failure is null ? 0 : 1);
            }

            TimeSpan? length = phase switch
            {
                BenchPhase.WarmingUp => Options.Warmup,
                BenchPhase.Measuring => Options.Duration,
                _ => null,
            };
            return new BenchProgress(phase, Stopwatch.GetElapsedTime(Interlocked.Read(ref _phaseStarted)), length,
                Volatile.Read(ref _open), roundTrips, sent, received, problems);
        }
    }

    internal bool DrainTimedOut => _drainTimedOut;

    /// <summary>
    /// Connects, loads, drains and closes every connection, and returns what was measured and verified. A run that
    /// finds corrupted or missing bytes still returns normally: see <see cref="BenchResult.Ok"/>.
    /// </summary>
    /// <exception cref="ConnectException">Not every connection could be opened.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_phase != (int)BenchPhase.Connecting || _connections.Length > 0)
        {
            throw new InvalidOperationException("A load generator runs once.");
        }

        var target = HostPort.Format(Options.Host, Options.Port);
        var connections = await ConnectAllAsync(target, cancellationToken).ConfigureAwait(false);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] loops = [];
        var busyPoll = Options.BusyPoll > TimeSpan.Zero && EpollEngine.IsSupported;
        if (busyPoll)
        {
            EpollEngine.StartBusyPoll(Options.BusyPoll);
        }

        try
        {
            BenchLog.Loading(_logger, target, connections.Length, Options.Mode);
            Volatile.Write(ref _connections, connections);
            loops = connections.Select(c => Task.Run(() => c.RunAsync(abort.Token), CancellationToken.None)).ToArray();

            if (Options.Mode != BenchMode.Idle && Options.Warmup > TimeSpan.Zero)
            {
                Enter(BenchPhase.WarmingUp);
                await Task.Delay(Options.Warmup, cancellationToken).ConfigureAwait(false);
            }

            var before = Snapshot(connections);
            Enter(BenchPhase.Measuring);
            var clock = Stopwatch.StartNew();
            await Task.Delay(Options.Duration, cancellationToken).ConfigureAwait(false);
            var after = Snapshot(connections);
            var measured = clock.Elapsed;
            Enter(BenchPhase.Draining);
            _draining.TrySetResult();
            await DrainAsync(loops, abort).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            var result = Summarise(target, connections, before, after, measured);
            BenchLog.Finished(_logger, target, result.RoundTrips, result.MismatchedBytes, result.MissingBytes, result.ConnectionsFailed);
            return result;
        }
        finally
        {
            await abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops.Select(static l => l.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            await Task.WhenAll(connections.Select(static c => c.CloseAsync().AsTask())).ConfigureAwait(false);
            Interlocked.Exchange(ref _open, 0);
            if (busyPoll)
            {
                EpollEngine.StopBusyPoll(Options.BusyPoll);
            }

            Enter(BenchPhase.Done);
        }
    }

    internal Task WaitForPhaseAsync(BenchPhase phase, CancellationToken cancellationToken) =>
        phase == BenchPhase.Draining
            ? _draining.Task.WaitAsync(cancellationToken)
            : throw new ArgumentOutOfRangeException(nameof(phase));

    internal void RecordLatency(long ticks)
    {
        var nanoseconds = (long)(ticks * NanosecondsPerTick);
        _latency.RecordValue(Math.Clamp(nanoseconds, 1, HighestLatency));
    }

    private async Task<BenchConnection[]> ConnectAllAsync(string target, CancellationToken cancellationToken)
    {
        var count = Options.Connections;
        var opened = new BenchConnection?[count];
        var connectOptions = Options.Framing == BenchFraming.Length
            ? Options.Connect.WithSocket(static family => new MessageSocket(family))
            : Options.Connect;

        // The first connection resolves the name and gives the clear error if the server cannot be reached; the
        // others go to the address it reached, without asking the resolver again.
        var first = await TcpConnector.ConnectAsync(Options.Host, Options.Port, connectOptions, _logger, cancellationToken)
            .ConfigureAwait(false);
        opened[0] = new BenchConnection(this, 0, first);
        Interlocked.Increment(ref _open);
        var address = first.RemoteEndPoint.Address.ToString();
        try
        {
            await Parallel.ForAsync(1, count, new ParallelOptions
            {
                MaxDegreeOfParallelism = Options.ConnectConcurrency,
                CancellationToken = cancellationToken,
            }, async (i, ct) =>
            {
                var connection = await TcpConnector.ConnectAsync(address, Options.Port, connectOptions, null, ct).ConfigureAwait(false);
                opened[i] = new BenchConnection(this, i, connection);
                Interlocked.Increment(ref _open);
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var made = Volatile.Read(ref _open);
            await Task.WhenAll(opened.OfType<BenchConnection>().Select(static c => c.CloseAsync().AsTask())).ConfigureAwait(false);
            Interlocked.Exchange(ref _open, 0);
            if (e is ConnectException connect)
            {
                throw new ConnectException(
                    $"opened only {made} of {count} connections to {target}: {connect.Message}", connect.Failure,
                    $"{connect.Hint}; the server or this machine may have run out of file descriptors (ulimit -n) or ports",
                    connect);
            }

            throw;
        }

        return opened.Select(static c => c!).ToArray();
    }

    private async Task DrainAsync(Task[] loops, CancellationTokenSource abort)
    {
        var all = Task.WhenAll(loops);
        try
        {
            await all.WaitAsync(Options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _drainTimedOut = true;
            await abort.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    private void Enter(BenchPhase phase)
    {
        Interlocked.Exchange(ref _phaseStarted, Stopwatch.GetTimestamp());
        _phase = (int)phase;
    }

    private static (long Received, long Sent, long Echoed)[] Snapshot(BenchConnection[] connections) =>
        connections.Select(static c => (c.BytesReceived, c.BytesSent, c.MessagesEchoed)).ToArray();

    private BenchResult Summarise(
        string target, BenchConnection[] connections, (long Received, long Sent, long Echoed)[] before,
        (long Received, long Sent, long Echoed)[] after, TimeSpan measured)
    {
        var seconds = measured.TotalSeconds;
        var flood = Options.Mode == BenchMode.Flood;
        var bytes = new double[connections.Length];
        var trips = new double[connections.Length];
        long windowTrips = 0;
        double windowBytes = 0;
        for (var i = 0; i < connections.Length; i++)
        {
            var moved = flood ? after[i].Sent - before[i].Sent : after[i].Received - before[i].Received;
            bytes[i] = moved / seconds / (1024 * 1024);
            trips[i] = (after[i].Echoed - before[i].Echoed) / seconds;
            windowTrips += after[i].Echoed - before[i].Echoed;
            windowBytes += moved;
        }

        var problems = new List<string>();
        long sent = 0, received = 0, messagesSent = 0, echoed = 0, mismatched = 0, missing = 0, extra = 0;
        var failed = 0;
        foreach (var c in connections)
        {
            sent += c.BytesSent;
            received += c.BytesReceived;
            messagesSent += c.MessagesSent;
            echoed += c.MessagesEchoed;
            mismatched += c.Mismatched;
            if (!flood)
            {
                missing += Math.Max(0, c.BytesSent - c.BytesReceived);
                extra += Math.Max(0, c.BytesReceived - c.BytesSent);
            }

            if (c.Failure is { } why)
            {
                failed++;
                Note(problems, $"connection {c.Index + 1}: {why}");
                BenchLog.ConnectionFailed(_logger, c.Index + 1, why);
            }

            if (c.Mismatched > 0)
            {
                Note(problems, $"connection {c.Index + 1}: {c.Mismatched} bytes came back different, the first at byte {c.FirstMismatchAt} of its stream");
            }
        }

        var latency = Options.Mode == BenchMode.PingPong && _latency.TotalCount > 0 ? Percentiles(_latency) : null;
        return new BenchResult
        {
            Target = target,
            Mode = Options.Mode,
            Framing = Options.Framing,
            Connections = Options.Connections,
            MessageSize = Options.MessageSize,
            WireSize = BenchMessages.WireLengthOf(Options.Framing, Options.MessageSize),
            Warmup = Options.Mode == BenchMode.Idle ? TimeSpan.Zero : Options.Warmup,
            Measured = measured,
            RoundTrips = windowTrips,
            RoundTripsPerSecond = windowTrips / seconds,
            MiBPerSecond = windowBytes / seconds / (1024 * 1024),
            PerConnectionMiBPerSecond = BenchSpread.Of(bytes),
            PerConnectionRoundTripsPerSecond = BenchSpread.Of(trips),
            Latency = latency,
            BytesSent = sent,
            BytesReceived = received,
            MessagesSent = messagesSent,
            MessagesEchoed = echoed,
            MismatchedBytes = mismatched,
            MissingBytes = missing,
            ExtraBytes = extra,
            ConnectionsFailed = failed,
            EchoVerified = !flood,
            Problems = problems,
        };
    }

    private static void Note(List<string> problems, string problem)
    {
        const int Shown = 10;
        if (problems.Count < Shown)
        {
            problems.Add(problem);
        }
        else if (problems.Count == Shown)
        {
            problems.Add("... and more (only the first 10 are listed)");
        }
    }

    private static BenchLatency Percentiles(HistogramBase histogram)
    {
        static double Micro(long nanoseconds) => nanoseconds / 1000.0;
        return new BenchLatency(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            Micro(histogram.GetValueAtPercentile(50)),
            Micro(histogram.GetValueAtPercentile(90)),
            Micro(histogram.GetValueAtPercentile(99)),
            Micro(histogram.GetValueAtPercentile(99.9)),
            Micro(histogram.GetMaxValue()));
    }
}
