using System.Net;

namespace Parley.Ping;

/// <summary>The outcome of one ping probe: a connect, then one echo round trip.</summary>
public sealed record ProbeResult
{
    /// <summary>The probe's number, from 1.</summary>
    public required int Sequence { get; init; }

    /// <summary>How the probe ended.</summary>
    public required ProbeStatus Status { get; init; }

    /// <summary>The address connected to; <see langword="null"/> when no address could be reached.</summary>
    public IPEndPoint? EndPoint { get; init; }

    /// <summary>How long the TCP connect took (with TLS, the handshake and the certificate check too); <see langword="null"/> when it failed.</summary>
    public TimeSpan? ConnectTime { get; init; }

    /// <summary>
    /// From the first byte sent to the last byte of the echo received; <see langword="null"/> unless
    /// <see cref="Status"/> is <see cref="ProbeStatus.Answered"/>.
    /// </summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>Bytes sent on the wire (the line, the raw bytes, or the message with its header).</summary>
    public int BytesSent { get; init; }

    /// <summary>Bytes of the echo received before the probe ended.</summary>
    public int BytesReceived { get; init; }

    /// <summary>
    /// The addresses tried before the one reached, each with why it failed (<c>10.0.0.2:9000: connection refused</c>),
    /// in the resolver's order; empty when the first address answered, or when none did (see <see cref="Message"/>).
    /// </summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>What happened, in one line for a person; empty for an answered probe.</summary>
    public string Message { get; init; } = "";

    /// <summary>What to check, in a few words for a person; empty for an answered probe.</summary>
    public string Hint { get; init; } = "";

    /// <summary>True when the echo came back complete and unchanged.</summary>
    public bool IsAnswered => Status == ProbeStatus.Answered;
}
