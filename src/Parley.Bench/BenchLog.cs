using Microsoft.Extensions.Logging;

namespace Parley.Bench;

/// <summary>Log events of the load generator (<c>parley bench</c>). Event ids 1850-1869; never reuse a retired id.</summary>
internal static partial class BenchLog
{
    [LoggerMessage(1850, LogLevel.Information, "Loading {Target} with {Connections} connections in {Mode} mode")]
    public static partial void Loading(ILogger logger, string target, int connections, BenchMode mode);

    [LoggerMessage(1851, LogLevel.Warning, "Bench connection {Connection}: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, int connection, string reason);

    [LoggerMessage(1852, LogLevel.Information,
        "Bench of {Target} finished: {RoundTrips} round trips measured, {Mismatched} bytes mismatched, {Missing} bytes missing, {Failed} connections failed")]
    public static partial void Finished(ILogger logger, string target, long roundTrips, long mismatched, long missing, int failed);
}
