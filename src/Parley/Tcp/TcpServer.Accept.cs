using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Parley.Tcp;

/// <summary>The accept loop: admits each client within the connection limits, or refuses it at once.</summary>
public sealed partial class TcpServer
{
    private static readonly TimeSpan RefusalReportPeriod = TimeSpan.FromSeconds(1);

    // After a failed accept (out of descriptors, most often), wait this long before the next, doubling up to the
    // maximum: brief, so that clients are served again soon after descriptors free up, but never a spin.
    private static readonly TimeSpan FirstAcceptBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromMilliseconds(250);

    private const int MaxDrainedFromRefused = 64 * 1024;

    // Descriptors held in reserve: out of descriptors, the runtime cannot even start a thread (it fails with "Out of
    // memory" and the process dies), so when accepting fails for want of them, these are given up for the runtime's
    // use, and taken again before the next accept.
    private const int SpareDescriptors = 16;

    private readonly ConnectionLimiter _limiter;
    private readonly RefusalLog _refusals;
    // Only the accept loop uses these, one client at a time.
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _refusalMessages = [];
    private byte[]? _discard;
    private readonly List<SafeFileHandle> _spares = [];

    private async Task AcceptLoopAsync(Socket listener)
    {
        var backoff = TimeSpan.Zero;
        var unreported = 0;
        var reportedAt = 0L;
        var reason = "";
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_stopping)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors ("Too many open files") and the like: the server goes on serving the
                // clients it has and tries again shortly. Logged at most once a second, with how often it failed.
                GiveUpSpares();
                reason = e.Message;
                unreported++;
                backoff = backoff == TimeSpan.Zero ? FirstAcceptBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxAcceptBackoff.Ticks));
                if (reportedAt == 0 || TimeProvider.GetElapsedTime(reportedAt) >= RefusalReportPeriod)
                {
                    ReportAcceptFailures(unreported, reason);
                    (unreported, reportedAt) = (0, TimeProvider.GetTimestamp());
                }

                await Task.Delay(backoff, TimeProvider).ConfigureAwait(false);
                TakeSpares();
                continue;
            }

            backoff = TimeSpan.Zero;
            if (unreported > 0 && TimeProvider.GetElapsedTime(reportedAt) >= RefusalReportPeriod)
            {
                ReportAcceptFailures(unreported, reason);
                (unreported, reportedAt) = (0, TimeProvider.GetTimestamp());
            }

            Accept(socket);
        }
    }

    private void TakeSpares()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            while (_spares.Count < SpareDescriptors)
            {
                _spares.Add(File.OpenHandle("/dev/null"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still out of descriptors: fewer spares until the next try.
        }
    }

    private void GiveUpSpares()
    {
        foreach (var spare in _spares)
        {
            spare.Dispose();
        }

        _spares.Clear();
    }

    private void ReportAcceptFailures(int count, string reason)
    {
        if (count == 1)
        {
            TcpLog.AcceptFailed(Logger, reason);
        }
        else
        {
            TcpLog.AcceptFailedAgain(Logger, count, reason);
        }
    }

    private void Accept(Socket socket)
    {
        IPEndPoint remote;
        try
        {
            socket.NoDelay = true;
            remote = Normalize((IPEndPoint)socket.RemoteEndPoint!);
        }
        catch (SocketException)
        {
            // Reset before we got to it: nothing to serve.
            socket.Dispose();
            return;
        }

        if (_limiter.TryAdmit(remote.Address) is { } refusal)
        {
            Refuse(socket, remote.Address, refusal);
            return;
        }

        ServerConnection connection;
        try
        {
            connection = new ServerConnection(this, Interlocked.Increment(ref _nextId), socket, remote,
                epoll: UsesEpoll);
        }
        catch (IOException e)
        {
            // The engine could not take the socket (the kernel out of memory for one more registration): this client
            // is turned away, the others are served.
            _limiter.Release(remote.Address);
            TcpLog.AcceptFailed(Logger, e.Message);
            socket.Dispose();
            return;
        }

        _connections[connection.Id] = connection;
        _metrics.Connected();
        TcpLog.ClientConnected(Logger, connection.Id, remote, _connections.Count);
        connection.Completion = RunConnectionAsync(connection);
    }

    /// <summary>
    /// The server's end of a connection: the listening endpoint itself when it is one address, else what the
    /// operating system says for this socket.
    /// </summary>
    internal IPEndPoint LocalEndPointOf(Socket socket)
    {
        if (!EndPoint.Address.Equals(IPAddress.Any) && !EndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            return EndPoint;
        }

        try
        {
            return Normalize((IPEndPoint)socket.LocalEndPoint!);
        }
        catch (ObjectDisposedException)
        {
            // Asked first after the connection closed: the listening endpoint is the best answer left.
            return EndPoint;
        }
    }

    /// <summary>
    /// Turns a client away at once, without a task or a buffer of its own: the refusal message (when there is one)
    /// goes into the empty send buffer without waiting, and the socket is closed.
    /// </summary>
    private void Refuse(Socket socket, IPAddress address, string reason)
    {
        Interlocked.Increment(ref _refused);
        _metrics.Rejected();
        _refusals.Refused(address, reason);
        try
        {
            socket.Blocking = false;
            if (Options.Transform is null && Options.Refusal is { } refusal)
            {
                // The reasons are few and fixed (one per limit): each message is made once.
                if (!_refusalMessages.TryGetValue(reason, out var message))
                {
                    message = refusal(reason);
                    _refusalMessages[reason] = message;
                }

                socket.Send(message.Span, SocketFlags.None, out _);
            }

            // Whatever the client already sent is read and dropped: closing on unread data would send a reset, which
            // can destroy the refusal before the client reads it.
            _discard ??= new byte[4096];
            var drained = 0;
            while (socket.Available > 0 && drained < MaxDrainedFromRefused)
            {
                var read = socket.Receive(_discard, SocketFlags.None, out var error);
                if (read <= 0 || error != SocketError.Success)
                {
                    break;
                }

                drained += read;
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Best effort: a client refused and already gone needs no goodbye.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
