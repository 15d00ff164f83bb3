using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Udp;

/// <summary>
/// Log events of the UDP server. Event ids 1550-1569 (inside the chat range 1500-1599: the chat is the UDP
/// service); never reuse a retired id.
/// </summary>
internal static partial class UdpLog
{
    [LoggerMessage(1550, LogLevel.Information, "Starting the {Service} server (UDP), Parley {Version}: {Settings}")]
    public static partial void ServerStarting(ILogger logger, string service, string version, string settings);

    [LoggerMessage(1551, LogLevel.Information, "Listening for {Service} datagrams on {EndPoint}, reachable at {Addresses}")]
    public static partial void Listening(ILogger logger, string service, IPEndPoint endPoint, string addresses);

    [LoggerMessage(1552, LogLevel.Information, "Stop requested by {RequestedBy}")]
    public static partial void StopRequested(ILogger logger, string requestedBy);

    [LoggerMessage(1553, LogLevel.Information,
        "Server stopped after {Uptime}: {DatagramsIn} datagrams ({BytesIn} bytes) in, {DatagramsOut} datagrams ({BytesOut} bytes) out")]
    public static partial void ServerStopped(ILogger logger, string uptime, long datagramsIn, long bytesIn, long datagramsOut, long bytesOut);

    [LoggerMessage(1554, LogLevel.Warning, "Receiving a datagram failed: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string reason);

    [LoggerMessage(1555, LogLevel.Debug, "Sending {Bytes} bytes to {RemoteEndPoint} failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, int bytes, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(1556, LogLevel.Error, "Handling a datagram from {RemoteEndPoint} failed")]
    public static partial void HandlerFailed(ILogger logger, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(1557, LogLevel.Information, "Received {Bytes} bytes from {RemoteEndPoint}: \"{Preview}\"", SkipEnabledCheck = true)]
    public static partial void DatagramReceived(ILogger logger, int bytes, IPEndPoint remoteEndPoint, string preview);

    [LoggerMessage(1558, LogLevel.Information, "Sent {Bytes} bytes to {RemoteEndPoint}", SkipEnabledCheck = true)]
    public static partial void DatagramSent(ILogger logger, int bytes, IPEndPoint remoteEndPoint);

    [LoggerMessage(1559, LogLevel.Information, "Server stopping: no longer receiving")]
    public static partial void ServerStopping(ILogger logger);

    [LoggerMessage(1560, LogLevel.Debug, "{RemoteEndPoint} reported unreachable by the network (ICMP), ignored")]
    public static partial void PeerUnreachable(ILogger logger, string remoteEndPoint);

    [LoggerMessage(1561, LogLevel.Warning, "UDP port {Port} is in use, trying {NextPort} ({Reason})")]
    public static partial void PortInUse(ILogger logger, int port, string reason, int nextPort);
}
