using Microsoft.Extensions.Logging;

namespace Parley.Echo;

/// <summary>Log events of the echo service and client. Event ids 1100-1199; never reuse a retired id.</summary>
internal static partial class EchoLog
{
    // Data events are the lab's "data received" and "data sent" service messages, at Information (Hosting.DataEvents);
    // callers check IsEnabled first so that with --quiet the preview is not even built.
    [LoggerMessage(1100, LogLevel.Information, "Received {Bytes} bytes from client {ConnectionId}: \"{Preview}\"", SkipEnabledCheck = true)]
    public static partial void DataReceived(ILogger logger, long connectionId, int bytes, string preview);

    [LoggerMessage(1101, LogLevel.Information, "Sent {Bytes} bytes to client {ConnectionId}", SkipEnabledCheck = true)]
    public static partial void DataSent(ILogger logger, long connectionId, int bytes);

    [LoggerMessage(1102, LogLevel.Information, "Client {ConnectionId} sent exit: closing its connection")]
    public static partial void ExitCommand(ILogger logger, long connectionId);

    [LoggerMessage(1103, LogLevel.Information, "Client {ConnectionId} sent stop")]
    public static partial void StopCommand(ILogger logger, long connectionId);

    [LoggerMessage(1104, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}) broke the message framing: {Problem}; disconnecting it")]
    public static partial void ProtocolError(ILogger logger, long connectionId, System.Net.IPEndPoint remoteEndPoint, string problem);

    [LoggerMessage(1107, LogLevel.Warning,
        "Client {ConnectionId} ({RemoteEndPoint}) did not complete a message within {FrameTimeout} ({Received} bytes of it arrived); disconnecting it")]
    public static partial void MessageTimedOut(ILogger logger, long connectionId, System.Net.IPEndPoint remoteEndPoint, string frameTimeout, int received);

    [LoggerMessage(1108, LogLevel.Warning,
        "Client {ConnectionId} ({RemoteEndPoint}) needs {Bytes} more bytes for an unfinished message of {Declared} bytes, over the budget: unfinished messages of all clients hold {InUse} of {MaxBytes} bytes; disconnecting it")]
    public static partial void OverBudget(ILogger logger, long connectionId, System.Net.IPEndPoint remoteEndPoint, long bytes, long declared, long inUse, long maxBytes);

    [LoggerMessage(1105, LogLevel.Information, "Received a message of {Bytes} bytes from client {ConnectionId}: \"{Preview}\"", SkipEnabledCheck = true)]
    public static partial void MessageReceived(ILogger logger, long connectionId, int bytes, string preview);

    [LoggerMessage(1106, LogLevel.Information, "Sent a message of {Bytes} bytes to client {ConnectionId}", SkipEnabledCheck = true)]
    public static partial void MessageSent(ILogger logger, long connectionId, int bytes);

    // 1141-1159: the UDP echo (UdpEchoHandler). Its data events are the UDP server's (1557 received, 1558 sent);
    [LoggerMessage(1109, LogLevel.Warning,
        "Client {ConnectionId} ({RemoteEndPoint}) did not read back its message of {Bytes} bytes within {FrameTimeout}, holding {Reserved} bytes of the budget for unfinished messages; disconnecting it")]
    public static partial void EchoNotRead(ILogger logger, long connectionId, System.Net.IPEndPoint remoteEndPoint, long bytes, string frameTimeout, int reserved);

    // 1140 is retired (a "sent back" event that logged every datagram twice).
    [LoggerMessage(1141, LogLevel.Warning,
        "Dropped {Dropped} datagrams over the rate limit of {Rate} a second per address (bursts of {Burst}) in the last {Period}, from {Addresses} addresses; most from {TopAddress}: {TopDropped}")]
    public static partial void RateLimitedDatagrams(
        ILogger logger, long dropped, double rate, double burst, string period, int addresses, string topAddress, long topDropped);

    [LoggerMessage(1142, LogLevel.Warning,
        "Dropped {Dropped} datagrams from port 0 or the ports of echo-like services (7, 13, 17, 19, 37) in the last {Period}, the last from {RemoteEndPoint}: answering could set two services bouncing them for ever")]
    public static partial void ServicePortDatagrams(ILogger logger, long dropped, string period, System.Net.IPEndPoint remoteEndPoint);

    [LoggerMessage(1143, LogLevel.Warning,
        "Dropped {Dropped} datagrams from this server's own address and port in the last {Period}, the last from {RemoteEndPoint}: a forged sender, and answering would loop")]
    public static partial void OwnEndPointDatagrams(ILogger logger, long dropped, string period, System.Net.IPEndPoint remoteEndPoint);

    [LoggerMessage(1144, LogLevel.Warning,
        "More than {MaxAddresses} addresses are sending at once: until some fall silent, new addresses share one rate limit")]
    public static partial void SenderTableFull(ILogger logger, int maxAddresses);

    [LoggerMessage(1145, LogLevel.Information,
        "Echoed {Echoed} datagrams; dropped {RateLimited} over the rate limit, {ServicePorts} from echo-like service ports, {OwnEndPoint} from the server's own address")]
    public static partial void UdpEchoTotals(ILogger logger, long echoed, long rateLimited, long servicePorts, long ownEndPoint);

    [LoggerMessage(1120, LogLevel.Information, "Sent {Bytes} bytes to the server")]
    public static partial void ClientSent(ILogger logger, int bytes);

    [LoggerMessage(1121, LogLevel.Information, "Received {Bytes} bytes from the server")]
    public static partial void ClientReceived(ILogger logger, int bytes);

    [LoggerMessage(1122, LogLevel.Information, "Disconnected from {Target}: {Reason}")]
    public static partial void ClientDisconnected(ILogger logger, string target, string reason);

    [LoggerMessage(1123, LogLevel.Information, "Sent a message of {Bytes} bytes to the server")]
    public static partial void ClientMessageSent(ILogger logger, int bytes);

    [LoggerMessage(1124, LogLevel.Information, "Received a message of {Bytes} bytes from the server")]
    public static partial void ClientMessageReceived(ILogger logger, int bytes);
}
