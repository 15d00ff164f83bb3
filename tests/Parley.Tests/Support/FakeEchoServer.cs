using System.Net;
using System.Net.Sockets;

namespace Parley.Tests.Support;

/// <summary>
/// A deliberately faulty echo server on a loopback port: it can flip every Nth byte, drop every Nth byte, or stop
/// echoing after some bytes, and counts exactly what it received, sent, corrupted and dropped. Byte positions count
/// from 1 across each connection's whole stream. On the client's half-close it closes after echoing.
/// </summary>
internal sealed class FakeEchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private long _received;
    private long _sent;
    private long _corrupted;
    private long _dropped;

    private FakeEchoServer(int corruptEvery, int dropEvery, long dropAt, bool neverRead, long duplicateAt = 0)
    {
        CorruptEvery = corruptEvery;
        DuplicateAt = duplicateAt;
        DropEvery = dropEvery;
        DropAt = dropAt;
        NeverRead = neverRead;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public int CorruptEvery { get; }

    public int DropEvery { get; }

    public long DropAt { get; }

    public bool NeverRead { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public long BytesReceived => Interlocked.Read(ref _received);

    public long BytesSent => Interlocked.Read(ref _sent);

    public long Corrupted => Interlocked.Read(ref _corrupted);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <param name="corruptEvery">Flip the lowest bit of every Nth byte (0: never).</param>
    /// <param name="dropEvery">Leave out every Nth byte (0: never).</param>
    /// <param name="dropAt">Leave out the byte at this position of each connection (0: none).</param>
    /// <param name="neverRead">Accept and never read: a server whose client can only fill the buffers.</param>
    /// <param name="duplicateAt">Send the byte at this position (counting from 1 on each connection) twice (0: never).</param>
    public static FakeEchoServer Start(int corruptEvery = 0, int dropEvery = 0, long dropAt = 0, bool neverRead = false, long duplicateAt = 0) =>
        new(corruptEvery, dropEvery, dropAt, neverRead, duplicateAt);

    private long DuplicateAt { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        Task[] all;
        lock (_lock)
        {
            all = [.. _connections];
        }

        await Task.WhenAll(all);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[8192];
        var output = new byte[8193];
        long position = 0;
        try
        {
            if (NeverRead)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                Interlocked.Add(ref _received, n);
                var count = 0;
                for (var i = 0; i < n; i++)
                {
                    position++;
                    if ((DropEvery > 0 && position % DropEvery == 0) || position == DropAt)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    var b = buffer[i];
                    if (CorruptEvery > 0 && position % CorruptEvery == 0)
                    {
                        b ^= 0x01;
                        Interlocked.Increment(ref _corrupted);
                    }

                    output[count++] = b;
                    if (position == DuplicateAt)
                    {
                        output[count++] = b;
                    }
                }

                for (var sent = 0; sent < count;)
                {
                    sent += await socket.SendAsync(output.AsMemory(sent, count - sent), SocketFlags.None, _stop.Token);
                }

                Interlocked.Add(ref _sent, count);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over, or the client went away.
        }
    }
}
