using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Net;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Udp;

/// <summary>
/// A UDP server: binds one socket (trying further ports while they are in use), receives datagrams and hands them
/// to an <see cref="IUdpDatagramHandler"/> one at a time, in the order they arrived, with one reused buffer and no
/// thread of its own. Stopping is one idempotent path: stop receiving, let the handler say its last words, close.
/// </summary>
public sealed class UdpServer : Parley.Hosting.IServer
{
    /// <summary>
    /// The receive buffer: the largest UDP payload there is (65,507 bytes over IPv4, 65,527 over IPv6), so that no
    /// datagram is ever cut short and a handler can tell an oversized datagram by its length.
    /// </summary>
    internal const int ReceiveBufferLength = 65_536;

    private readonly IUdpDatagramHandler _handler;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _stopLock = new();
    private readonly UdpBatchSender _batchSender = new();
    private Socket? _socket;
    private Task _receiveLoop = Task.CompletedTask;
    private Task? _stopTask;
    private long _datagramsIn;
    private long _bytesIn;
    private long _datagramsOut;
    private long _bytesOut;
    private long _startedAt;
    private UdpMetrics _metrics = new("", 0);

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public UdpServer(
        UdpServerOptions options, IUdpDatagramHandler handler, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options;
        _handler = handler;
        Logger = loggerFactory.CreateLogger("Parley.Server");
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The options the server was created with.</summary>
    public UdpServerOptions Options { get; }

    /// <summary>The endpoint the server is bound to (after <see cref="Start"/>).</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Every address and port the server can be reached at on this machine (after <see cref="Start"/>).</summary>
    public IReadOnlyList<IPEndPoint> ReachableAt { get; private set; } = [];

    /// <summary>Datagrams received since the start.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsIn);

    /// <summary>Datagrams sent since the start.</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsOut);

    /// <summary>Completes once the server has stopped and its socket is closed.</summary>
    public Task Completion => _stopped.Task;

    /// <inheritdoc />
    public bool IsStopping => Volatile.Read(ref _stopTask) is not null;

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>
    /// Binds and starts receiving. Throws <see cref="ListenException"/> when no port could be bound; the message
    /// is fit to show a user.
    /// </summary>
    public void Start()
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        UdpLog.ServerStarting(Logger, _handler.ServiceName, ParleyVersion.Current, Describe());
        var socket = ListenerBinder.Bind(
            Options.Address, Options.Port, Options.PortTries, backlog: 0, SocketType.Dgram, ProtocolType.Udp,
            (port, reason, next) => UdpLog.PortInUse(Logger, port, reason, next));
        SetBuffers(socket, Options.ReceiveBufferBytes, Options.SendBufferBytes);
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ReachableAt = ListenAddresses.Reachable(EndPoint, socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode);
        _startedAt = TimeProvider.GetTimestamp();
        _metrics = new UdpMetrics(_handler.ServiceName, EndPoint.Port);
        UdpLog.Listening(Logger, _handler.ServiceName, EndPoint, string.Join(", ", ReachableAt));
        _handler.Started(this);
        _receiveLoop = ReceiveLoopAsync(socket);
    }

    /// <summary>
    /// Sends one datagram. A failure for one destination (no route, a firewall) is logged at Debug and reported as
    /// <see langword="false"/>, never thrown: over UDP it says nothing about anyone else. After the server has
    /// stopped, nothing is sent.
    /// </summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        var socket = _socket ?? throw new InvalidOperationException("The server is not started.");
        return SendOneAsync(socket, new UdpOutgoing(datagram, to, AddressOf(to)), cancellationToken);
    }

    /// <summary>
    /// <paramref name="to"/> as the socket takes it (an IPv4 address mapped to IPv6 on a dual-stack socket): for a
    /// sender that sends to the same destination often, to make once and pass to <see cref="SendBatchAsync"/>.
    /// </summary>
    internal SocketAddress AddressOf(IPEndPoint to)
    {
        var socket = _socket ?? throw new InvalidOperationException("The server is not started.");
        return socket.AddressFamily == AddressFamily.InterNetworkV6 && to.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(to.Address.MapToIPv6(), to.Port).Serialize()
            : to.Serialize();
    }

    /// <summary>
    /// Sends datagrams in the order given, as many per system call as the system allows (see
    /// <see cref="UdpBatchSender"/>), waiting for room in the socket's buffer as <see cref="SendAsync"/> does. A
    /// failure for one destination is logged as <see cref="SendAsync"/> logs it and the others still go. One caller at
    /// a time.
    /// </summary>
    internal async ValueTask SendBatchAsync(ReadOnlyMemory<UdpOutgoing> batch)
    {
        var socket = _socket ?? throw new InvalidOperationException("The server is not started.");
        var done = 0;
        while (done < batch.Length)
        {
            int sent;
            try
            {
                sent = _batchSender.TrySend(socket, batch.Span[done..]);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (sent > 0)
            {
                Sent(batch.Span.Slice(done, sent));
                done += sent;
                continue;
            }

            // The first one did not go at once: its buffer is full (this send waits for room) or its destination
            // fails (this send says why); either way the rest follow it.
            await SendOneAsync(socket, batch.Span[done], CancellationToken.None).ConfigureAwait(false);
            done++;
        }
    }

    private async ValueTask<bool> SendOneAsync(Socket socket, UdpOutgoing outgoing, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await socket.SendToAsync(outgoing.Datagram, SocketFlags.None, outgoing.Address, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _datagramsOut);
            Interlocked.Add(ref _bytesOut, sent);
            _metrics.Sent(1, sent);
            if (Logger.IsEnabled(LogLevel.Information))
            {
                UdpLog.DatagramSent(Logger, sent, outgoing.To);
            }

            return true;
        }
        catch (SocketException e)
        {
            UdpLog.SendFailed(Logger, outgoing.Datagram.Length, outgoing.To, e.Message);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void Sent(ReadOnlySpan<UdpOutgoing> sent)
    {
        long bytes = 0;
        var logged = Logger.IsEnabled(LogLevel.Information);
        foreach (var outgoing in sent)
        {
            bytes += outgoing.Datagram.Length;
            if (logged)
            {
                UdpLog.DatagramSent(Logger, outgoing.Datagram.Length, outgoing.To);
            }
        }

        Interlocked.Add(ref _datagramsOut, sent.Length);
        Interlocked.Add(ref _bytesOut, bytes);
        _metrics.Sent(sent.Length, bytes);
    }

    /// <summary>Asks the server to stop, without waiting; <see cref="Completion"/> tells when it has.</summary>
    public void RequestStop(string requestedBy) => _ = StopAsync(requestedBy);

    /// <summary>
    /// Stops the server: stops receiving (after the datagram being handled), lets the handler send its last words,
    /// closes the socket. Calling it again returns the same task.
    /// </summary>
    public Task StopAsync(string requestedBy = "the host")
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopCoreAsync(requestedBy);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync("dispose").ConfigureAwait(false);

    private async Task StopCoreAsync(string requestedBy)
    {
        try
        {
            UdpLog.StopRequested(Logger, requestedBy);
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _receiveLoop.ConfigureAwait(false);
            if (_socket is { } socket)
            {
                UdpLog.ServerStopping(Logger);
                try
                {
                    await _handler.StoppingAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    UdpLog.HandlerFailed(Logger, EndPoint, e);
                }

                socket.Dispose();
            }

            var uptime = _startedAt == 0 ? TimeSpan.Zero : TimeProvider.GetElapsedTime(_startedAt);
            UdpLog.ServerStopped(Logger, Durations.Format(uptime), DatagramsReceived, Interlocked.Read(ref _bytesIn),
                DatagramsSent, Interlocked.Read(ref _bytesOut));
        }
        finally
        {
            _stopping.Dispose();
            _stopped.TrySetResult();
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength);
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        var stopping = _stopping.Token;
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (UdpSocketErrors.IsPortUnreachable(e))
            {
                // Windows reports an ICMP port unreachable for an earlier reply on the next receive; one client
                // that went away says nothing about the others.
                UdpLog.PeerUnreachable(Logger, "a client");
                continue;
            }
            catch (SocketException e)
            {
                // Out of memory for buffers and the like: say so, and give the system a moment instead of spinning.
                UdpLog.ReceiveFailed(Logger, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var remote = TcpServer.Normalize((IPEndPoint)result.RemoteEndPoint);
            var received = result.ReceivedBytes;
            Interlocked.Increment(ref _datagramsIn);
            Interlocked.Add(ref _bytesIn, received);
            _metrics.Received(received);
            if (Logger.IsEnabled(LogLevel.Information))
            {
                UdpLog.DatagramReceived(Logger, received, remote, DataPreview.Of(buffer.AsSpan(0, received)));
            }

            try
            {
                await _handler.HandleAsync(new UdpDatagram(buffer.AsMemory(0, received), remote)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                UdpLog.HandlerFailed(Logger, remote, e);
            }
        }
    }

    private static void SetBuffers(Socket socket, int receiveBytes, int sendBytes)
    {
        try
        {
            socket.ReceiveBufferSize = receiveBytes;
            socket.SendBufferSize = sendBytes;
        }
        catch (SocketException)
        {
            // Best effort: the system's default buffers still work, they only drop sooner under a burst.
        }
    }

    private string Describe()
    {
        var address = Options.Address?.ToString() ?? "all interfaces";
        return $"address {address}, port {Options.Port}, port tries {Options.PortTries}, {_handler.DescribeSettings()}";
    }
}
