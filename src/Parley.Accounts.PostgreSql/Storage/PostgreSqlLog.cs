using Microsoft.Extensions.Logging;

namespace Parley.Storage;

/// <summary>Log events of the PostgreSQL store. Event ids 1710-1729; never reuse a retired id.</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(1710, LogLevel.Error, "Lost the database {Database}: {Problem}; clients that need it are told 'unavailable' until it is back")]
    public static partial void Lost(ILogger logger, string database, string problem);

    [LoggerMessage(1711, LogLevel.Information, "The database {Database} is back")]
    public static partial void Back(ILogger logger, string database);

    [LoggerMessage(1712, LogLevel.Debug, "A write to {Database} conflicted with another server's ({SqlState}); try {Attempt} of {Attempts}")]
    public static partial void Conflict(ILogger logger, string database, string sqlState, int attempt, int attempts);
}
