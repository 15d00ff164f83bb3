using Microsoft.Extensions.Logging;

namespace Parley.Auth;

/// <summary>
/// Log events of the authentication service. Event ids 1400-1499; never reuse a retired id. Passwords and session
/// tokens never appear here, not even in part.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(1400, LogLevel.Information, "Client {ConnectionId} ({Address}) signed in as {User} with a password")]
    public static partial void SignedIn(ILogger logger, long connectionId, string address, string user);

    [LoggerMessage(1401, LogLevel.Information, "Client {ConnectionId} ({Address}) resumed the session of {User}; its token is replaced")]
    public static partial void Resumed(ILogger logger, long connectionId, string address, string user);

    [LoggerMessage(1402, LogLevel.Information, "Client {ConnectionId} ({Address}) sent a session token that is refused: {Reason}")]
    public static partial void SessionRefused(ILogger logger, long connectionId, string address, string reason);

    [LoggerMessage(1403, LogLevel.Information, "Client {ConnectionId} ({Address}) failed to sign in as {User}: {Reason}")]
    public static partial void LoginFailed(ILogger logger, long connectionId, string address, string user, string reason);

    [LoggerMessage(1404, LogLevel.Warning, "{Key} locked out for {Lockout} after {Failures} failed sign-ins (last from client {ConnectionId}, {Address})")]
    public static partial void LockedOut(ILogger logger, string key, string lockout, int failures, long connectionId, string address);

    [LoggerMessage(1405, LogLevel.Information, "Client {ConnectionId} ({Address}) refused: sign-ins as {User} or from this address are throttled for {Seconds} more seconds")]
    public static partial void Throttled(ILogger logger, long connectionId, string address, string user, int seconds);

    [LoggerMessage(1406, LogLevel.Information, "Client {ConnectionId} ({Address}) registered the new user {User}")]
    public static partial void Registered(ILogger logger, long connectionId, string address, string user);

    [LoggerMessage(1407, LogLevel.Information, "Client {ConnectionId} ({Address}): new password refused ({Reason}), try {Try} of {Tries}")]
    public static partial void WeakPassword(ILogger logger, long connectionId, string address, string reason, int @try, int tries);

    [LoggerMessage(1408, LogLevel.Information, "The password hash of {User} was upgraded from {From} to {To}")]
    public static partial void HashUpgraded(ILogger logger, string user, string from, string to);

    [LoggerMessage(1409, LogLevel.Warning, "Client {ConnectionId} ({Address}) refused as busy: {Queued} password hashes already wait")]
    public static partial void Busy(ILogger logger, long connectionId, string address, int queued);

    [LoggerMessage(1410, LogLevel.Information, "Client {ConnectionId} ({Address}) logged {User} out; the session token is revoked")]
    public static partial void LoggedOut(ILogger logger, long connectionId, string address, string user);

    [LoggerMessage(1411, LogLevel.Error, "Client {ConnectionId} ({Address}): the store failed: {Problem}")]
    public static partial void StoreFailed(ILogger logger, long connectionId, string address, string problem);

    [LoggerMessage(1412, LogLevel.Warning,
        "Passwords and session tokens cross the network in clear: this server listens on {Address}, beyond loopback, without TLS")]
    public static partial void Cleartext(ILogger logger, string address);

    [LoggerMessage(1413, LogLevel.Information, "Client {ConnectionId} ({Address}): user name refused ({Reason})")]
    public static partial void InvalidUserName(ILogger logger, long connectionId, string address, string reason);

    [LoggerMessage(1414, LogLevel.Information, "Removed {Count} expired sessions")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(1415, LogLevel.Information, "Client {ConnectionId} ({Address}) gave up: {Reason}")]
    public static partial void GaveUp(ILogger logger, long connectionId, string address, string reason);

    [LoggerMessage(1416, LogLevel.Information, "Client {ConnectionId} ({Address}): the failing answer for {User} is held back {Delay} ({Failures} failures for the account)")]
    public static partial void SlowedDown(ILogger logger, long connectionId, string address, string user, int failures, string delay);

    [LoggerMessage(1417, LogLevel.Information, "Client {ConnectionId} ({Address}) may not register {User}: the address registered {Limit} accounts in the last hour; {Seconds} seconds to wait")]
    public static partial void RegistrationLimited(ILogger logger, long connectionId, string address, string user, int limit, int seconds);
}
