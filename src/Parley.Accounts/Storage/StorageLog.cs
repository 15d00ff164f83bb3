using Microsoft.Extensions.Logging;

namespace Parley.Storage;

/// <summary>Log events of the database. Event ids 1700-1799; never reuse a retired id.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1700, LogLevel.Information, "Using the database {Path} (schema version {Version})")]
    public static partial void Opened(ILogger logger, string path, int version);

    [LoggerMessage(1701, LogLevel.Information, "Created the database {Path}")]
    public static partial void Created(ILogger logger, string path);

    [LoggerMessage(1702, LogLevel.Information, "Upgraded the database {Path} from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(1703, LogLevel.Warning, "The database {Path} was busy or failed ({Problem}); try {Attempt} of {Attempts}")]
    public static partial void Retrying(ILogger logger, string path, string problem, int attempt, int attempts);
}
