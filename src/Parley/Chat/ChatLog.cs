using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Chat;

/// <summary>
/// Log events of the chat server (1500-1549) and client (1570-1599); 1550-1569 belong to the UDP server. Never
/// reuse a retired id. Messages carry sizes and nicknames, never the text people wrote.
/// </summary>
internal static partial class ChatLog
{
    [LoggerMessage(1500, LogLevel.Information, "{Nickname} joined from {RemoteEndPoint}; members: {Members}")]
    public static partial void Joined(ILogger logger, string nickname, IPEndPoint remoteEndPoint, int members);

    [LoggerMessage(1501, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) left; members: {Members}")]
    public static partial void Left(ILogger logger, string nickname, IPEndPoint remoteEndPoint, int members);

    [LoggerMessage(1502, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) timed out, silent for {Timeout}; members: {Members}")]
    public static partial void TimedOut(ILogger logger, string nickname, IPEndPoint remoteEndPoint, string timeout, int members);

    [LoggerMessage(1503, LogLevel.Information, "{OldNickname} ({RemoteEndPoint}) is now known as {Nickname}")]
    public static partial void Renamed(ILogger logger, string oldNickname, IPEndPoint remoteEndPoint, string nickname);

    [LoggerMessage(1504, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) sent a message of {Bytes} bytes; relayed to the others: {Recipients}")]
    public static partial void Relayed(ILogger logger, string nickname, IPEndPoint remoteEndPoint, int bytes, int recipients);

    [LoggerMessage(1505, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) sent a private message of {Bytes} bytes to {Recipient}")]
    public static partial void PrivateMessage(ILogger logger, string nickname, IPEndPoint remoteEndPoint, int bytes, string recipient);

    [LoggerMessage(1506, LogLevel.Warning, "Rejected a datagram of {Bytes} bytes from {Nickname} ({RemoteEndPoint}): {Reason}")]
    public static partial void Rejected(ILogger logger, int bytes, string nickname, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(1507, LogLevel.Information, "{RemoteEndPoint} cannot join as '{Nickname}': {Reason}")]
    public static partial void JoinRefused(ILogger logger, IPEndPoint remoteEndPoint, string nickname, string reason);

    [LoggerMessage(1508, LogLevel.Debug, "Datagram of {Bytes} bytes from {RemoteEndPoint}, which has not joined ({Reason}): answered 'join first'")]
    public static partial void NotJoined(ILogger logger, int bytes, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(1509, LogLevel.Warning, "{Nickname} ({RemoteEndPoint}) sends faster than {Rate} messages a second (bursts of {Burst}): dropping its messages until it slows down")]
    public static partial void RateLimited(ILogger logger, string nickname, IPEndPoint remoteEndPoint, double rate, double burst);

    [LoggerMessage(1510, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) is within the rate limit again; {Dropped} messages were dropped")]
    public static partial void RateLimitEnded(ILogger logger, string nickname, IPEndPoint remoteEndPoint, long dropped);

    [LoggerMessage(1511, LogLevel.Information, "{Nickname} ({RemoteEndPoint}): {Request} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string nickname, IPEndPoint remoteEndPoint, string request, string reason);

    [LoggerMessage(1512, LogLevel.Information, "Telling every member that the server is stopping; members: {Members}")]
    public static partial void TellingStop(ILogger logger, int members);

    [LoggerMessage(1513, LogLevel.Debug, "No wording of the reply fits in the {Bytes} bytes that {RemoteEndPoint} may be sent: nothing sent")]
    public static partial void ReplySuppressed(ILogger logger, int bytes, IPEndPoint remoteEndPoint);

    [LoggerMessage(1514, LogLevel.Debug, "{Nickname} ({RemoteEndPoint}) asked who is here; members: {Members}, datagrams: {Lines}")]
    public static partial void Who(ILogger logger, string nickname, IPEndPoint remoteEndPoint, int members, int lines);

    [LoggerMessage(1515, LogLevel.Debug, "{Nickname} ({RemoteEndPoint}) sent /ping")]
    public static partial void Ping(ILogger logger, string nickname, IPEndPoint remoteEndPoint);

    [LoggerMessage(1516, LogLevel.Information, "{Nickname} ({RemoteEndPoint}) joined again (a repeated /join): welcome and history sent again")]
    public static partial void Rejoined(ILogger logger, string nickname, IPEndPoint remoteEndPoint);

    [LoggerMessage(1517, LogLevel.Debug, "{RemoteEndPoint} asked to join as '{Nickname}' with {Why}: sent a challenge, to be sent back from that address")]
    public static partial void Challenged(ILogger logger, IPEndPoint remoteEndPoint, string nickname, string why);

    [LoggerMessage(1518, LogLevel.Warning, "Refused {Refused} joins from {Address} since the last report: it has {Max} members already (--max-members-per-address)")]
    public static partial void TooManyFromAddress(ILogger logger, IPAddress address, int max, long refused);

    [LoggerMessage(1519, LogLevel.Warning, "Dropped {Dropped} datagrams from {Address} since the last report: its {Members} members together send faster than {Rate} messages a second (--rate-per-address)")]
    public static partial void AddressRateLimited(ILogger logger, IPAddress address, double rate, int members, long dropped);

    [LoggerMessage(1520, LogLevel.Warning, "Shed {Shed} public messages from {Address} since the last report: {Waiting} datagrams wait to be sent and it holds more than its share (--max-backlog)")]
    public static partial void Shed(ILogger logger, IPAddress address, int waiting, long shed);

    [LoggerMessage(1521, LogLevel.Warning, "Stopping: {Waiting} datagrams still waiting to be sent after {Timeout} are not sent")]
    public static partial void StoppedUnsent(ILogger logger, int waiting, string timeout);

    [LoggerMessage(1522, LogLevel.Warning, "The chat relay is lost: {Members} members here hear only each other, and joins are refused until it is back")]
    public static partial void RelayLost(ILogger logger, int members);

    [LoggerMessage(1523, LogLevel.Information, "The chat relay is back: {Members} members here, {Elsewhere} on the other servers")]
    public static partial void RelayBack(ILogger logger, int members, int elsewhere);

    [LoggerMessage(1524, LogLevel.Warning, "A message of {Nickname} ({RemoteEndPoint}) reached only the members of this server: the relay's queue is full")]
    public static partial void NotRelayed(ILogger logger, string nickname, IPEndPoint remoteEndPoint);

    [LoggerMessage(1525, LogLevel.Information, "{Nickname} joined on another server; members: {Members} here, {Elsewhere} elsewhere")]
    public static partial void JoinedElsewhere(ILogger logger, string nickname, int members, int elsewhere);

    [LoggerMessage(1526, LogLevel.Information, "{Nickname} left another server ({How}); members elsewhere: {Elsewhere}")]
    public static partial void LeftElsewhere(ILogger logger, string nickname, string how, int elsewhere);

    [LoggerMessage(1570, LogLevel.Debug, "Joining the chat at {Target} ({EndPoint}) as {Nickname}")]
    public static partial void ClientJoining(ILogger logger, string target, IPEndPoint endPoint, string nickname);

    [LoggerMessage(1571, LogLevel.Information, "Joined the chat at {EndPoint} as {Nickname} ({Target})")]
    public static partial void ClientJoined(ILogger logger, string target, IPEndPoint endPoint, string nickname);

    [LoggerMessage(1572, LogLevel.Information, "No chat server at {EndPoint}: {Reason}; trying the next address")]
    public static partial void ClientJoinAttemptFailed(ILogger logger, IPEndPoint endPoint, string reason);

    [LoggerMessage(1573, LogLevel.Information, "Sent {Bytes} bytes to the server")]
    public static partial void ClientSent(ILogger logger, int bytes);

    [LoggerMessage(1574, LogLevel.Information, "Received {Bytes} bytes from the server")]
    public static partial void ClientReceived(ILogger logger, int bytes);

    [LoggerMessage(1575, LogLevel.Information, "Left the chat at {Target}")]
    public static partial void ClientLeft(ILogger logger, string target);

    [LoggerMessage(1576, LogLevel.Debug, "Server not responding: nothing heard from {Target} for {Silence}")]
    public static partial void ClientServerSilent(ILogger logger, string target, string silence);

    [LoggerMessage(1577, LogLevel.Debug, "Server responding again")]
    public static partial void ClientServerBack(ILogger logger);

    [LoggerMessage(1578, LogLevel.Debug, "Server unreachable: {Target} reports nothing listening on the port")]
    public static partial void ClientUnreachable(ILogger logger, string target);

    [LoggerMessage(1579, LogLevel.Information, "The server no longer knows this client (restarted, or dropped it after silence): joining again as {Nickname}")]
    public static partial void ClientRejoining(ILogger logger, string nickname);

    [LoggerMessage(1580, LogLevel.Debug, "No answer yet from {EndPoint}: sending /join again")]
    public static partial void ClientJoinRetry(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(1581, LogLevel.Debug, "Sent /ping {Token} (keep-alive)")]
    public static partial void ClientKeepAlive(ILogger logger, string token);

    [LoggerMessage(1582, LogLevel.Warning, "Received {Bytes} bytes from the server that are not valid UTF-8 or hold control characters; shown with replacement characters")]
    public static partial void ClientInvalidText(ILogger logger, int bytes);

    [LoggerMessage(1583, LogLevel.Warning, "Sending {Bytes} bytes to the server failed: {Reason}")]
    public static partial void ClientSendFailed(ILogger logger, int bytes, string reason);

    [LoggerMessage(1584, LogLevel.Warning, "Receiving from the server failed: {Reason}")]
    public static partial void ClientReceiveFailed(ILogger logger, string reason);
}
