using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Parley.Net;
using Parley.Shared;

namespace Parley.Tcp;

/// <summary>
/// A TCP server: binds (trying further ports while they are in use), accepts clients and serves each with an
/// <see cref="ITcpConnectionHandler"/> on asynchronous I/O, with no thread per client. Stopping is one idempotent
/// path: stop accepting, signal every connection, wait for them up to <see cref="TcpServerOptions.ShutdownTimeout"/>,
/// abort the rest.
/// </summary>
public sealed partial class TcpServer : Parley.Hosting.IServer
{
    private readonly ITcpConnectionHandler _handler;
    private readonly ConcurrentDictionary<long, ServerConnection> _connections = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private ITimer? _heartbeat;
    private ITimer? _refusalReports;
    private Task? _stopTask;
    private volatile bool _stopping;
    private long _nextId;
    private long _bytesIn;
    private long _bytesOut;
    private long _startedAt;
    private long _refused;
    private TcpMetrics _metrics = new("", 0);

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public TcpServer(
        TcpServerOptions options, ITcpConnectionHandler handler, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options;
        _handler = handler;
        Logger = loggerFactory.CreateLogger("Parley.Server");
        TimeProvider = timeProvider ?? TimeProvider.System;
        _limiter = new ConnectionLimiter(options.MaxConnections, options.MaxConnectionsPerAddress);
        _refusals = new RefusalLog(Logger, TimeProvider);
    }

    /// <summary>The options the server was created with.</summary>
    public TcpServerOptions Options { get; }

    /// <summary>The endpoint the server is bound to (after <see cref="Start"/>).</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Every address and port the server can be reached at on this machine (after <see cref="Start"/>).</summary>
    public IReadOnlyList<IPEndPoint> ReachableAt { get; private set; } = [];

    /// <summary>How many clients are connected now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>How many clients have connected since the start.</summary>
    public long ConnectionsServed => Interlocked.Read(ref _nextId);

    /// <summary>How many connections have been refused for a connection limit since the start.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _refused);

    /// <summary>Completes once the server has stopped and every connection is closed.</summary>
    public Task Completion => _stopped.Task;

    /// <inheritdoc />
    public bool IsStopping => _stopping;

    /// <summary>Whether <see cref="TcpEngine.Epoll"/> works here: Linux on x86-64 or Arm64.</summary>
    public static bool EpollSupported => Parley.Epoll.EpollEngine.IsSupported;

    internal ILogger Logger { get; }

    /// <summary>Whether accepted connections go to the epoll engine: asked for, and no TLS (which keeps to the runtime's sockets).</summary>
    internal bool UsesEpoll => Options.Engine == TcpEngine.Epoll && Options.Transform is null;

    private bool BusyPolls => UsesEpoll && Options.BusyPoll > TimeSpan.Zero;

    internal TimeProvider TimeProvider { get; }

    /// <summary>
    /// Binds and starts accepting. Throws <see cref="ListenException"/> when no port could be bound; the message
    /// is fit to show a user.
    /// </summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        if (Options.Engine == TcpEngine.Epoll)
        {
            if (!EpollSupported)
            {
                throw new PlatformNotSupportedException("The epoll engine needs Linux on x86-64 or Arm64.");
            }

            Parley.Epoll.EpollEngine.EnsureStarted();
        }

        TcpLog.ServerStarting(Logger, _handler.ServiceName, ParleyVersion.Current, Describe());
        Options.Transform?.Start(Logger);
        _listener = ListenerBinder.Bind(
            Options.Address, Options.Port, Options.PortTries, Options.Backlog, SocketType.Stream, ProtocolType.Tcp,
            (port, reason, next) => TcpLog.PortInUse(Logger, port, reason, next));
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        ReachableAt = ListenAddresses.Reachable(EndPoint, _listener.AddressFamily == AddressFamily.InterNetworkV6 && _listener.DualMode);
        _startedAt = TimeProvider.GetTimestamp();
        _metrics = new TcpMetrics(_handler.ServiceName, EndPoint.Port);
        TcpLog.Listening(Logger, _handler.ServiceName, EndPoint, string.Join(", ", ReachableAt));
        if (Options.IdleTimeout is { } idle)
        {
            var period = TimeSpan.FromTicks(Math.Clamp(idle.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
            _heartbeat = TimeProvider.CreateTimer(static s => ((TcpServer)s!).CloseIdleConnections(), this, period, period);
        }

        // Always made, limits or not: besides the refusal reports, it makes the runtime start its timer thread now. Out
        // of descriptors, the runtime cannot start a thread, and the accept loop's back-off would never end.
        _refusalReports = TimeProvider.CreateTimer(static s => ((TcpServer)s!)._refusals.Flush(), this, RefusalReportPeriod, RefusalReportPeriod);

        if (BusyPolls)
        {
            Parley.Epoll.EpollEngine.StartBusyPoll(Options.BusyPoll);
        }

        TakeSpares();
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    /// <summary>Asks the server to stop, without waiting; <see cref="Completion"/> tells when it has.</summary>
    public void RequestStop(string requestedBy) => _ = StopAsync(requestedBy);

    /// <summary>
    /// Stops the server: stops accepting, lets every connection deliver what it owes and close, aborts those still
    /// open after <see cref="TcpServerOptions.ShutdownTimeout"/>. Calling it again returns the same task.
    /// </summary>
    public Task StopAsync(string requestedBy = "the host")
    {
        lock (_stopLock)
        {
            if (_stopTask is null)
            {
                _stopping = true;
                _stopTask = StopCoreAsync(requestedBy);
            }

            return _stopTask;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync("dispose").ConfigureAwait(false);

    private async Task StopCoreAsync(string requestedBy)
    {
        try
        {
            if (_listener is null)
            {
                // Never started (binding failed, or Start was not called): there is nothing to stop or report.
                return;
            }

            TcpLog.StopRequested(Logger, requestedBy);
            _listener.Dispose();
            await _acceptLoop.ConfigureAwait(false);
            GiveUpSpares();
            _heartbeat?.Dispose();
            _refusalReports?.Dispose();
            _refusals.Flush(final: true);

            var open = _connections.Values.ToArray();
            TcpLog.ServerStopping(Logger, open.Length);
            foreach (var connection in open)
            {
                connection.SignalStopping(CloseReason.ServerStopping);
            }

            var all = Task.WhenAll(open.Select(static c => c.Completion));
            try
            {
                await all.WaitAsync(Options.ShutdownTimeout, TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var late = _connections.Values.ToArray();
                TcpLog.ConnectionsAborted(Logger, late.Length, Options.ShutdownTimeout);
                foreach (var connection in late)
                {
                    connection.Abort(CloseReason.Aborted);
                }

                await all.ConfigureAwait(false);
            }

            if (BusyPolls)
            {
                Parley.Epoll.EpollEngine.StopBusyPoll(Options.BusyPoll);
            }

            var uptime = _startedAt == 0 ? TimeSpan.Zero : TimeProvider.GetElapsedTime(_startedAt);
            TcpLog.ServerStopped(Logger, Durations.Format(uptime), ConnectionsServed,
                Interlocked.Read(ref _bytesIn), Interlocked.Read(ref _bytesOut), ConnectionsRefused);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private async Task RunConnectionAsync(ServerConnection connection)
    {
        // Leave the accept loop at once, however long the handler's first step takes. (Cheaper than Task.Run: no
        // closure, no extra task, and nothing more held per idle connection than this method's own state.)
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            if (Options.Transform is { } transform)
            {
                var handshakeStarted = TimeProvider.GetTimestamp();
                try
                {
                    connection.Transport = await transform.WrapAsync(connection, connection.Transport, connection.Stopping)
                        .ConfigureAwait(false);
                    _metrics.TlsHandshake(TimeProvider.GetElapsedTime(handshakeStarted), errorType: null);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _metrics.TlsHandshake(TimeProvider.GetElapsedTime(handshakeStarted), e.GetType().Name);
                    connection.SetCloseReason(CloseReason.TlsHandshakeFailed);
                    TcpLog.TransformFailed(Logger, connection.Id, connection.RemoteEndPoint, e.Message);
                    return;
                }
            }

            await _handler.HandleAsync(connection).ConfigureAwait(false);
            connection.SetCloseReason(CloseReason.Completed);
        }
        catch (OperationCanceledException) when (connection.Stopping.IsCancellationRequested)
        {
            // The reason (server stopping, idle timeout) was recorded by whoever cancelled.
        }
        catch (Exception e) when (SocketErrors.IsDisconnect(e) || e is ObjectDisposedException)
        {
            connection.SetCloseReason(CloseReason.Reset);
        }
        catch (Exception e) when (connection.Transport is SslStream
            && e is IOException or AuthenticationException)
        {
            // After the handshake, a TLS failure (a renegotiation request, a forged or corrupt record, an alert) is the
            // client breaking the protocol, not a fault of ours: one line, no stack trace.
            connection.SetCloseReason(CloseReason.ProtocolError);
            TcpLog.TlsProtocolError(Logger, connection.Id, connection.RemoteEndPoint, InnermostMessage.Of(e));
        }
        catch (Exception e)
        {
            connection.SetCloseReason(CloseReason.Error);
            TcpLog.ConnectionFailed(Logger, connection.Id, connection.RemoteEndPoint, e);
        }
        finally
        {
            await CloseAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task CloseAsync(ServerConnection connection)
    {
        // Account and log first: by the time the client sees the connection close, the log already says why. Leave the
        // connection table last: a stop that no longer finds the connection there does not wait for it, and would
        // otherwise log its totals and "stopped" before this connection's bytes and goodbye.
        Interlocked.Add(ref _bytesIn, connection.BytesReceived);
        Interlocked.Add(ref _bytesOut, connection.BytesSent);
        var lasted = TimeProvider.GetElapsedTime(connection.ConnectedAt);
        _metrics.Closed(connection, lasted);
        TcpLog.ClientDisconnected(Logger, connection.Id, connection.RemoteEndPoint,
            CloseReasonText.Describe(connection.CloseReason), connection.BytesReceived, connection.BytesSent,
            Durations.Format(lasted));
        _connections.TryRemove(connection.Id, out _);
        _limiter.Release(connection.RemoteEndPoint.Address);

        if (connection.Transport is SslStream tls && connection.CloseReason is not (CloseReason.Reset or CloseReason.Aborted))
        {
            try
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Best effort: the TLS goodbye cannot reach a peer that is gone.
            }
        }

        try
        {
            connection.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Best effort: the peer may already be gone, and then there is nobody to tell.
        }

        try
        {
            await connection.Transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Best effort, as above: disposing a broken TLS stream can throw.
        }

        connection.Socket.Dispose();
        connection.DisposeResources();
    }

    private void CloseIdleConnections()
    {
        if (Options.IdleTimeout is not { } timeout)
        {
            return;
        }

        foreach (var connection in _connections.Values)
        {
            var silent = TimeProvider.GetElapsedTime(connection.LastActivity);
            if (connection.CloseReason == CloseReason.None && silent >= timeout)
            {
                TcpLog.IdleTimeout(Logger, connection.Id, connection.RemoteEndPoint, timeout);
                connection.SignalStopping(CloseReason.IdleTimeout);
            }
            else if (connection.CloseReason == CloseReason.IdleTimeout && silent >= timeout * 2)
            {
                // Told to finish a timeout ago and still here: stuck writing to a client that does not read.
                connection.Abort(CloseReason.IdleTimeout);
            }
        }
    }

    private string Describe()
    {
        var address = Options.Address?.ToString() ?? "all interfaces";
        var idle = Options.IdleTimeout is { } t ? Durations.Format(t) : "off";
        var tls = Options.Transform is null ? "off" : "on";
        return $"address {address}, port {Options.Port}, port tries {Options.PortTries}, stop allowed from {Options.StopPolicy.ToString().ToLowerInvariant()}, " +
            $"idle timeout {idle}, TLS {tls}, engine {(UsesEpoll ? "epoll" : "sockets")}{(BusyPolls ? " (busy poll " + Options.BusyPoll.TotalMicroseconds.ToString("0", CultureInfo.InvariantCulture) + " µs)" : "")}, max connections {Limit(Options.MaxConnections)}, " +
            $"max connections per address {Limit(Options.MaxConnectionsPerAddress)}, {_handler.DescribeSettings()}";
    }

    private static string Limit(int limit) => limit > 0 ? limit.ToString(CultureInfo.InvariantCulture) : "unlimited";

    internal static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
