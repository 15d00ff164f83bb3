using System.Net;

namespace Parley.Ping;

/// <summary>What a run of <see cref="Pinger"/> found: every probe, the summary, and whether it was cut short.</summary>
public sealed class PingReport
{
    /// <summary>The host as given.</summary>
    public required string Host { get; init; }

    /// <summary>The port probed.</summary>
    public required int Port { get; init; }

    /// <summary>The addresses the host resolved to, in the resolver's order; empty if cancelled before that.</summary>
    public required IReadOnlyList<IPAddress> Addresses { get; init; }

    /// <summary>Every probe, in order.</summary>
    public required IReadOnlyList<ProbeResult> Probes { get; init; }

    /// <summary>The summary of <see cref="Probes"/>.</summary>
    public required PingStatistics Statistics { get; init; }

    /// <summary>From the start of the first probe to the end of the last.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>True when cancellation ended the run before every probe was sent.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>The report of a run, with the statistics of its probes.</summary>
    internal static PingReport Of(
        string host, int port, IReadOnlyList<IPAddress> addresses, IReadOnlyList<ProbeResult> probes, TimeSpan elapsed, bool interrupted) => new()
        {
            Host = host,
            Port = port,
            Addresses = addresses,
            Probes = probes,
            Statistics = PingStatistics.Of(probes),
            Elapsed = elapsed,
            Interrupted = interrupted,
        };
}
