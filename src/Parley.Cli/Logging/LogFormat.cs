namespace Parley.Cli.Logging;

/// <summary>The format of log files.</summary>
internal enum LogFormat
{
    /// <summary>One line per event: timestamp, level, event, connection, message.</summary>
    Text,

    /// <summary>One JSON object per line with the structured fields, for log shippers.</summary>
    Json,
}
