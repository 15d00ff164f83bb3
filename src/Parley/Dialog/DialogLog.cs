using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Dialog;

/// <summary>
/// Log events of the dialog protocol, shared by the identification and authentication services and the dialog
/// client. Event ids 1350-1399 (the upper half of the Identity range, where the protocol was born); never reuse a
/// retired id. Only message types are logged, never their text: answers may be passwords, and tokens are secrets.
/// </summary>
internal static partial class DialogLog
{
    [LoggerMessage(1350, LogLevel.Information, "Received {Type} ({Bytes} bytes) from client {ConnectionId}")]
    public static partial void MessageReceived(ILogger logger, long connectionId, string type, int bytes);

    [LoggerMessage(1351, LogLevel.Information, "Sent {Type} ({Bytes} bytes) to client {ConnectionId}")]
    public static partial void MessageSent(ILogger logger, long connectionId, string type, int bytes);

    [LoggerMessage(1352, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}) sent a bad message ({Count} in a row): {Problem}")]
    public static partial void BadMessage(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, int count, string problem);

    [LoggerMessage(1353, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}) sent {Count} bad messages in a row: closing its connection")]
    public static partial void TooManyBadMessages(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, int count);

    [LoggerMessage(1354, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}) broke the message framing: {Problem}; disconnecting it")]
    public static partial void ProtocolError(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string problem);

    [LoggerMessage(1355, LogLevel.Information, "Client {ConnectionId} sent exit: closing its connection")]
    public static partial void ExitCommand(ILogger logger, long connectionId);

    [LoggerMessage(1356, LogLevel.Information, "Client {ConnectionId} sent stop")]
    public static partial void StopCommand(ILogger logger, long connectionId);

    [LoggerMessage(1357, LogLevel.Debug, "Echoed a message of {Chars} characters to client {ConnectionId}")]
    public static partial void Echoed(ILogger logger, long connectionId, int chars);

    [LoggerMessage(1370, LogLevel.Information, "Sent {Type} ({Bytes} bytes) to the server")]
    public static partial void ClientSent(ILogger logger, string type, int bytes);

    [LoggerMessage(1371, LogLevel.Information, "Received {Type} ({Bytes} bytes) from the server")]
    public static partial void ClientReceived(ILogger logger, string type, int bytes);

    [LoggerMessage(1372, LogLevel.Information, "Disconnected from {Target}: {Reason}")]
    public static partial void ClientDisconnected(ILogger logger, string target, string reason);

    [LoggerMessage(1373, LogLevel.Warning, "The server speaks dialog protocol version {Version}; this client knows version {Known} and carries on")]
    public static partial void NewerProtocol(ILogger logger, int version, int known);

    [LoggerMessage(1374, LogLevel.Debug, "Ignored a {Type} message from the server")]
    public static partial void ClientIgnored(ILogger logger, string type);
}
