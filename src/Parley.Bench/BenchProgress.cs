namespace Parley.Bench;

/// <summary>A snapshot of a running load generator, for a live status line.</summary>
/// <param name="Phase">Where the run is.</param>
/// <param name="Elapsed">Time spent in the current phase.</param>
/// <param name="PhaseLength">How long the current phase lasts, when it has a set length.</param>
/// <param name="Connections">Connections open now.</param>
/// <param name="RoundTrips">Messages echoed back so far, on all connections.</param>
/// <param name="BytesSent">Bytes sent so far, on all connections.</param>
/// <param name="BytesReceived">Bytes echoed back so far, on all connections.</param>
/// <param name="Problems">Mismatched bytes plus failed connections so far.</param>
public readonly record struct BenchProgress(
    BenchPhase Phase, TimeSpan Elapsed, TimeSpan? PhaseLength, int Connections, long RoundTrips, long BytesSent,
    long BytesReceived, long Problems);
