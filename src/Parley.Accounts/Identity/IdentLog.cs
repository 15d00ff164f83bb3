using Microsoft.Extensions.Logging;

namespace Parley.Identity;

/// <summary>Log events of the identification service. Event ids 1300-1349 (1350-1399 are the dialog protocol's); never reuse a retired id.</summary>
internal static partial class IdentLog
{
    [LoggerMessage(1300, LogLevel.Information, "Client {ConnectionId} ({Address}) recognised as {Name}: visit {Visits}")]
    public static partial void Recognised(ILogger logger, long connectionId, string address, string name, long visits);

    [LoggerMessage(1301, LogLevel.Information, "Client {ConnectionId} ({Address}) is new: asking its name")]
    public static partial void Unknown(ILogger logger, long connectionId, string address);

    [LoggerMessage(1302, LogLevel.Information, "Client {ConnectionId} ({Address}) named {Name}")]
    public static partial void Named(ILogger logger, long connectionId, string address, string name);

    [LoggerMessage(1303, LogLevel.Information, "Client {ConnectionId} ({Address}): name rejected ({Reason}), try {Try} of {Tries}")]
    public static partial void NameRejected(ILogger logger, long connectionId, string address, string reason, int @try, int tries);

    [LoggerMessage(1304, LogLevel.Error, "Client {ConnectionId} ({Address}): the store failed: {Problem}")]
    public static partial void StoreFailed(ILogger logger, long connectionId, string address, string problem);

    [LoggerMessage(1305, LogLevel.Information, "Client {ConnectionId} ({Address}) named itself {Answer}, but another connection named the address {Name} first")]
    public static partial void NamedConcurrently(ILogger logger, long connectionId, string address, string answer, string name);

    [LoggerMessage(1306, LogLevel.Information, "Client {ConnectionId} ({Address}) gave no valid name in {Tries} tries: closing its connection")]
    public static partial void NoValidName(ILogger logger, long connectionId, string address, int tries);

    [LoggerMessage(1307, LogLevel.Debug, "Client {ConnectionId} ({Address}) left before it was greeted: nothing stored")]
    public static partial void LeftBeforeGreeting(ILogger logger, long connectionId, string address);

    [LoggerMessage(1308, LogLevel.Warning, "{Refused} clients refused as busy since the last such line (the last: client {ConnectionId}, {Address}): too many writes wait for the database")]
    public static partial void Busy(ILogger logger, long connectionId, string address, int refused);
}
