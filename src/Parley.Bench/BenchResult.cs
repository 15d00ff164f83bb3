namespace Parley.Bench;

/// <summary>
/// What a <see cref="LoadGenerator"/> run measured and what it verified. Rates are over the measured time only;
/// the totals and the verification cover the whole run, warm-up and drain included.
/// </summary>
public sealed class BenchResult
{
    /// <summary>The target as <c>host:port</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The mode of the run.</summary>
    public required BenchMode Mode { get; init; }

    /// <summary>The framing of the messages.</summary>
    public required BenchFraming Framing { get; init; }

    /// <summary>How many connections were asked for.</summary>
    public required int Connections { get; init; }

    /// <summary>The message size asked for (see <see cref="BenchOptions.MessageSize"/>).</summary>
    public required int MessageSize { get; init; }

    /// <summary>Bytes each message takes on the wire, header included.</summary>
    public required int WireSize { get; init; }

    /// <summary>The warm-up asked for.</summary>
    public required TimeSpan Warmup { get; init; }

    /// <summary>The measured time as it was actually clocked.</summary>
    public required TimeSpan Measured { get; init; }

    /// <summary>Messages echoed back during the measured time.</summary>
    public required long RoundTrips { get; init; }

    /// <summary>Messages echoed back per second during the measured time.</summary>
    public required double RoundTripsPerSecond { get; init; }

    /// <summary>Echoed bytes per second during the measured time, in MiB/s (flood mode: bytes the server took).</summary>
    public required double MiBPerSecond { get; init; }

    /// <summary>The same rate per connection: slowest, median and fastest connection.</summary>
    public required BenchSpread PerConnectionMiBPerSecond { get; init; }

    /// <summary>Round trips per second per connection: slowest, median and fastest connection.</summary>
    public required BenchSpread PerConnectionRoundTripsPerSecond { get; init; }

    /// <summary>Round-trip latency over the measured time (ping-pong mode), else <see langword="null"/>.</summary>
    public required BenchLatency? Latency { get; init; }

    /// <summary>Bytes sent over the whole run.</summary>
    public required long BytesSent { get; init; }

    /// <summary>Bytes received over the whole run.</summary>
    public required long BytesReceived { get; init; }

    /// <summary>Messages sent over the whole run.</summary>
    public required long MessagesSent { get; init; }

    /// <summary>Messages echoed back whole over the whole run.</summary>
    public required long MessagesEchoed { get; init; }

    /// <summary>Received bytes that differ from the byte sent at the same place in the connection's stream.</summary>
    public required long MismatchedBytes { get; init; }

    /// <summary>Bytes sent that never came back (the server closed, reset, or stalled past the drain timeout).</summary>
    public required long MissingBytes { get; init; }

    /// <summary>Bytes received beyond what was sent.</summary>
    public required long ExtraBytes { get; init; }

    /// <summary>Connections that were lost or stalled.</summary>
    public required int ConnectionsFailed { get; init; }

    /// <summary>Whether echoes were read and checked at all (not in flood mode).</summary>
    public required bool EchoVerified { get; init; }

    /// <summary>What went wrong, one sentence each, at most a few per kind.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>True when every byte came back unchanged and every connection lasted.</summary>
    public bool Ok => MismatchedBytes == 0 && MissingBytes == 0 && ExtraBytes == 0 && ConnectionsFailed == 0;
}
