using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Ping;

namespace Parley.Tests.Support;

/// <summary>
/// A UDP relay on loopback between a UDP ping and an echo server: it does to chosen probes on their way to the echo
/// what networks do to datagrams (drop, duplicate, corrupt, cut short, delay, reorder), decided by each probe's
/// sequence number (see <see cref="Start"/>), and records exactly what it did, so that a test can hold the ping's
/// counts against the truth. Replies go back to the ping at once and unchanged, in the order the echo sends them,
/// which is the order the relay forwarded the probes.
/// </summary>
internal sealed class UdpRelay : IAsyncDisposable
{
    private readonly Socket _front = Bound();
    private readonly Socket _back = Bound();
    private readonly IPEndPoint _echo;
    private readonly Func<int, RelayStep> _plan;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _delayed = [];
    private readonly Task _forwarding;
    private readonly Task _returning;
    private (int Sequence, byte[] Datagram, long HeldAt)? _held;
    private EndPoint? _client;

    private readonly Func<int, TimeSpan> _delayOf;

    private UdpRelay(IPEndPoint echo, Func<int, RelayStep> plan, Func<int, TimeSpan>? delayOf)
    {
        _echo = echo;
        _plan = plan;
        _delayOf = delayOf ?? (_ => TimeSpan.FromMilliseconds(100));
        _forwarding = ForwardLoopAsync();
        _returning = ReturnLoopAsync();
    }

    /// <summary>What the relay did with one probe.</summary>
    public enum RelayStep
    {
        Forward,
        Drop,
        Duplicate,
        Corrupt,
        Truncate,
        Delay,
        HoldForNext,
        ForwardAndForeign,
    }

    /// <summary>Where the ping sends its probes.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>Every probe received, by sequence number: what was done with it, and when it came.</summary>
    public Dictionary<int, (RelayStep Step, long ReceivedAt)> Received { get; } = [];

    /// <summary>Every datagram sent to the echo, in order: the probe's number, whether it was intact, and when.</summary>
    public List<(int Sequence, bool Intact, long At)> Forwarded { get; } = [];

    /// <summary>Foreign datagrams sent straight to the ping (another run's id).</summary>
    public int ForeignSent { get; private set; }

    /// <summary>Starts a relay to <paramref name="echo"/> that does <paramref name="plan"/> to each probe by its number.</summary>
    /// <param name="echo">The echo server.</param>
    /// <param name="plan">What to do with each probe, by its sequence number.</param>
    /// <param name="delayOf">How long a <see cref="RelayStep.Delay"/> holds a probe back (default 100 ms).</param>
    public static UdpRelay Start(IPEndPoint echo, Func<int, RelayStep> plan, Func<int, TimeSpan>? delayOf = null) => new(echo, plan, delayOf);

    /// <summary>The counts an exact ping must report, from the record; late means forwarded intact after <paramref name="replyTimeout"/>.</summary>
    public (int Sent, int Received, int Lost, int Late, int Duplicates, int Reordered, int Corrupted, int Foreign) Expected(TimeSpan replyTimeout)
    {
        lock (_lock)
        {
            var first = new Dictionary<int, long>();
            int duplicates = 0, reordered = 0, corrupted = 0, late = 0, highest = 0;
            foreach (var (sequence, intact, at) in Forwarded)
            {
                if (!intact)
                {
                    corrupted++;
                }
                else if (!first.TryAdd(sequence, at))
                {
                    duplicates++;
                }
                else
                {
                    reordered += sequence < highest ? 1 : 0;
                    highest = Math.Max(highest, sequence);
                    late += Stopwatch.GetElapsedTime(Received[sequence].ReceivedAt, at) >= replyTimeout ? 1 : 0;
                }
            }

            var received = first.Count - late;
            return (Received.Count, received, Received.Count - received, late, duplicates, reordered, corrupted, ForeignSent);
        }
    }

    /// <summary>Whether probe <paramref name="sequence"/> has reached the relay.</summary>
    public bool HasReceived(int sequence)
    {
        lock (_lock)
        {
            return Received.ContainsKey(sequence);
        }
    }

    /// <summary>How long the relay held probe <paramref name="sequence"/> back before its first intact copy went on.</summary>
    public TimeSpan HeldBack(int sequence)
    {
        lock (_lock)
        {
            return Stopwatch.GetElapsedTime(Received[sequence].ReceivedAt, Forwarded.First(f => f.Sequence == sequence && f.Intact).At);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_forwarding, _returning);
        Task[] delayed;
        lock (_lock)
        {
            delayed = [.. _delayed];
        }

        await Task.WhenAll(delayed);
        _front.Dispose();
        _back.Dispose();
        _stop.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task ForwardLoopAsync()
    {
        var buffer = new byte[UdpPingOptions.MaxSize + 1];
        try
        {
            while (true)
            {
                var result = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var datagram = buffer[..result.ReceivedBytes];
                var sequence = BinaryPrimitives.ReadInt32BigEndian(datagram.AsSpan(12));
                var step = _plan(sequence);
                lock (_lock)
                {
                    _client = result.RemoteEndPoint;
                    Received[sequence] = (step, Stopwatch.GetTimestamp());
                    Apply(sequence, datagram, step);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }

    /// <summary>Does <paramref name="step"/> to the probe; called under the lock, so the record keeps the wire's order.</summary>
    private void Apply(int sequence, byte[] datagram, RelayStep step)
    {
        switch (step)
        {
            case RelayStep.Drop:
                break;
            case RelayStep.Duplicate:
                Forward(sequence, datagram, intact: true);
                Forward(sequence, datagram, intact: true);
                break;
            case RelayStep.Corrupt:
                var altered = (byte[])datagram.Clone();
                altered[30] ^= 0x20;
                Forward(sequence, altered, intact: false);
                break;
            case RelayStep.Truncate:
                Forward(sequence, datagram[..40], intact: false);
                break;
            case RelayStep.Delay:
                _delayed.Add(ForwardLaterAsync(sequence, datagram, _delayOf(sequence)));
                break;
            case RelayStep.HoldForNext:
                _held = (sequence, datagram, Stopwatch.GetTimestamp());
                return;
            case RelayStep.ForwardAndForeign:
                Forward(sequence, datagram, intact: true);
                var foreign = (byte[])datagram.Clone();
                foreign[4] ^= 0xff;
                _front.SendTo(foreign, _client!);
                ForeignSent++;
                break;
            default:
                Forward(sequence, datagram, intact: true);
                break;
        }

        if (_held is { } held)
        {
            _held = null;
            Forward(held.Sequence, held.Datagram, intact: true);
        }
    }

    private async Task ForwardLaterAsync(int sequence, byte[] datagram, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_lock)
        {
            Forward(sequence, datagram, intact: true);
        }
    }

    private void Forward(int sequence, byte[] datagram, bool intact)
    {
        _back.SendTo(datagram, _echo);
        Forwarded.Add((sequence, intact, Stopwatch.GetTimestamp()));
    }

    private async Task ReturnLoopAsync()
    {
        var buffer = new byte[UdpPingOptions.MaxSize + 1];
        try
        {
            while (true)
            {
                var n = await _back.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                EndPoint client;
                lock (_lock)
                {
                    client = _client!;
                }

                await _front.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, client, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
