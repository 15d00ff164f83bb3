using Microsoft.Extensions.Logging;

namespace Parley.Shared;

/// <summary>Events of what every area shares (event ids kept from where each was first written).</summary>
internal static partial class SharedLog
{
    [LoggerMessage(1704, LogLevel.Warning, "{Path} could be read by other users (mode {Mode}): it is now readable by its owner only")]
    public static partial void Tightened(ILogger logger, string path, string mode);
}
