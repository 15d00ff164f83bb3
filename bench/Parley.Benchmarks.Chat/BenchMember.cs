using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Parley.Benchmarks.Chat;

/// <summary>
/// A raw UDP member of a chat server for the load runs: it answers the join challenge, and counts what it receives
/// (and when the last datagram came) on its own reading loop.
/// </summary>
internal sealed class BenchMember : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Task _reader;
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<int> _arrivals = Channel.CreateUnbounded<int>();
    private int _received;
    private long _lastAt;

    private BenchMember(Socket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public int Received => Volatile.Read(ref _received);

    public long LastAt => Volatile.Read(ref _lastAt);

    /// <summary>Now, in ticks of <see cref="TimeSpan"/>.</summary>
    public static long Now() => Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency;

    public static async Task<BenchMember> JoinAsync(IPEndPoint server, string nickname, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
        await socket.ConnectAsync(server, cancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"/join {nickname}"), SocketFlags.None, cancellationToken);
        return new BenchMember(socket);
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, cancellationToken);

    public void Reset() => Volatile.Write(ref _received, 0);

    /// <summary>Waits for <paramref name="count"/> more datagrams than were waited for so far.</summary>
    public async Task SkipAsync(int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await _arrivals.Reader.ReadAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closing: the reader stops either way.
        }

        _closing.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[2048];
        while (true)
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token);
            if (buffer.AsSpan(0, n).StartsWith("? /join "u8))
            {
                // Parley's challenge to a new address: send the line back to complete the join.
                await _socket.SendAsync(buffer.AsMemory(2, n - 2), SocketFlags.None, _closing.Token);
                continue;
            }

            Interlocked.Increment(ref _received);
            Volatile.Write(ref _lastAt, Now());
            _arrivals.Writer.TryWrite(n);
        }
    }
}
