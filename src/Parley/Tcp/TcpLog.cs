using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Tcp;

/// <summary>Log events of the TCP server and clients. Event ids 1000-1099; never reuse a retired id.</summary>
internal static partial class TcpLog
{
    [LoggerMessage(1000, LogLevel.Information, "Starting the {Service} server, Parley {Version}: {Settings}")]
    public static partial void ServerStarting(ILogger logger, string service, string version, string settings);

    [LoggerMessage(1001, LogLevel.Information, "Listening for {Service} clients on {EndPoint}, reachable at {Addresses}")]
    public static partial void Listening(ILogger logger, string service, IPEndPoint endPoint, string addresses);

    [LoggerMessage(1002, LogLevel.Warning, "port {Port} is in use, trying {NextPort} ({Reason})")]
    public static partial void PortInUse(ILogger logger, int port, string reason, int nextPort);

    [LoggerMessage(1003, LogLevel.Information, "Client {ConnectionId} connected from {RemoteEndPoint} ({Connected} connected now)")]
    public static partial void ClientConnected(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, int connected);

    [LoggerMessage(1004, LogLevel.Information,
        "Client {ConnectionId} ({RemoteEndPoint}) disconnected: {Reason}; {BytesIn} bytes in, {BytesOut} bytes out, connected for {Duration}")]
    public static partial void ClientDisconnected(
        ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string reason, long bytesIn, long bytesOut, string duration);

    [LoggerMessage(1005, LogLevel.Information, "Stop requested by {RequestedBy}")]
    public static partial void StopRequested(ILogger logger, string requestedBy);

    [LoggerMessage(1006, LogLevel.Information,
        "Server stopped after {Uptime}: {ConnectionsServed} connections served, {BytesIn} bytes in, {BytesOut} bytes out, {ConnectionsRefused} refused")]
    public static partial void ServerStopped(ILogger logger, string uptime, long connectionsServed, long bytesIn, long bytesOut, long connectionsRefused);

    [LoggerMessage(1007, LogLevel.Warning,
        "Client {ConnectionId} ({RemoteEndPoint}) asked to stop the server; refused by the stop policy '{Policy}', the line is treated as data")]
    public static partial void StopRefused(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, StopPolicy policy);

    [LoggerMessage(1008, LogLevel.Warning, "Accepting a connection failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string reason);

    [LoggerMessage(1009, LogLevel.Error, "Client {ConnectionId} ({RemoteEndPoint}): unexpected error")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(1010, LogLevel.Warning, "{Count} connections did not finish within {Timeout}; aborting them")]
    public static partial void ConnectionsAborted(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(1011, LogLevel.Information, "Server stopping: no longer accepting, closing {Count} connections")]
    public static partial void ServerStopping(ILogger logger, int count);

    [LoggerMessage(1012, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}): {Reason}")]
    public static partial void TransformFailed(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(1013, LogLevel.Information, "Client {ConnectionId} ({RemoteEndPoint}) silent for {IdleTimeout}: closing it")]
    public static partial void IdleTimeout(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, TimeSpan idleTimeout);

    [LoggerMessage(1014, LogLevel.Warning,
        "Refused a connection from {Address}: {Reason}; further refusals from this address are reported at most once a second")]
    public static partial void ConnectionRefused(ILogger logger, IPAddress address, string reason);

    [LoggerMessage(1015, LogLevel.Warning, "Refused {Count} more connections from {Address}: {Reason}")]
    public static partial void ConnectionsRefusedAgain(ILogger logger, int count, IPAddress address, string reason);

    [LoggerMessage(1016, LogLevel.Warning, "Refused {Count} connections from other addresses: {Reason}")]
    public static partial void ConnectionsRefusedFromOthers(ILogger logger, int count, string reason);

    [LoggerMessage(1017, LogLevel.Warning, "Client {ConnectionId} ({RemoteEndPoint}) broke the TLS protocol: {Reason}; disconnected")]
    public static partial void TlsProtocolError(ILogger logger, long connectionId, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(1018, LogLevel.Warning, "Accepting a connection failed {Count} times since the last report: {Reason}")]
    public static partial void AcceptFailedAgain(ILogger logger, int count, string reason);

    [LoggerMessage(1050, LogLevel.Debug, "Connecting to {Target} at {EndPoint}")]
    public static partial void Connecting(ILogger logger, string target, IPEndPoint endPoint);

    [LoggerMessage(1051, LogLevel.Information, "Connected to {Target} at {EndPoint}")]
    public static partial void Connected(ILogger logger, string target, IPEndPoint endPoint);

    [LoggerMessage(1052, LogLevel.Information, "Could not reach {EndPoint}: {Reason}; trying the next address")]
    public static partial void ConnectAttemptFailed(ILogger logger, IPEndPoint endPoint, string reason);
}
