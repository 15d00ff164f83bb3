using System.Net;
using System.Threading.Channels;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>
/// The datagrams the chat has to send, in one queue sent in order by one loop, so that receiving never waits on
/// sending. It counts what waits by the address that caused it: past half of <c>maxBacklog</c>, an address may add
/// only while it holds no more than an equal share of the queue with the others, so that one address flooding the
/// chat is shed while everyone else's messages still go out (issue 16).
/// </summary>
internal sealed class ChatOutbox
{
    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<IPAddress, int> _waitingBy = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly int _maxBacklog;
    private int _waiting;

    public ChatOutbox(int maxBacklog) => _maxBacklog = maxBacklog;

    /// <summary>Datagrams waiting to be sent.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Whether <paramref name="source"/> may add <paramref name="datagrams"/> more: always without a bound; with one,
    /// while the queue stays within it and, past its half, while the address keeps within its share.
    /// </summary>
    public bool HasRoomFor(IPAddress source, int datagrams)
    {
        if (_maxBacklog == 0)
        {
            return true;
        }

        lock (_lock)
        {
            var total = _waiting + datagrams;
            if (total > _maxBacklog)
            {
                return false;
            }

            if (total <= _maxBacklog / 2)
            {
                return true;
            }

            var own = _waitingBy.GetValueOrDefault(source);
            var others = _waitingBy.Count - (own > 0 ? 1 : 0);
            return own + datagrams <= _maxBacklog / (others + 1);
        }
    }

    /// <summary>
    /// Queues one datagram, counted against <paramref name="source"/> (the address whose request caused it);
    /// <paramref name="address"/> is <paramref name="to"/> as the server's socket takes it, when the caller keeps it
    /// (a member's), otherwise it is made when the datagram is sent.
    /// </summary>
    public void Add(byte[] datagram, IPEndPoint to, IPAddress source, SocketAddress? address = null)
    {
        lock (_lock)
        {
            _waiting++;
            _waitingBy[source] = _waitingBy.GetValueOrDefault(source) + 1;
        }

        if (!_queue.Writer.TryWrite(new Outgoing(datagram, to, address, source)))
        {
            Sent([source]);
        }
    }

    /// <summary>
    /// Sends what is queued, in order, until <see cref="Complete"/> and the queue is empty, or <see cref="Abandon"/>:
    /// what waits goes out in batches of up to <see cref="UdpBatchSender.MaxBatch"/>, one system call each where the
    /// system allows.
    /// </summary>
    public async Task RunAsync(UdpServer server)
    {
        var batch = new UdpOutgoing[UdpBatchSender.MaxBatch];
        var sources = new IPAddress[UdpBatchSender.MaxBatch];
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_abandon.Token).ConfigureAwait(false))
            {
                var count = 0;
                while (count < batch.Length && _queue.Reader.TryRead(out var outgoing))
                {
                    batch[count] = new UdpOutgoing(outgoing.Datagram, outgoing.To, outgoing.Address ?? server.AddressOf(outgoing.To));
                    sources[count++] = outgoing.Source;
                }

                await server.SendBatchAsync(batch.AsMemory(0, count)).ConfigureAwait(false);
                Sent(sources.AsSpan(0, count));
                Array.Clear(batch, 0, count);
                Array.Clear(sources, 0, count);
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Stopping took too long: what is left is not sent.
        }
    }

    /// <summary>Nothing more will be added: <see cref="RunAsync"/> ends once what is queued is sent.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Stops <see cref="RunAsync"/> now, leaving what is queued unsent.</summary>
    public void Abandon() => _abandon.Cancel();

    private void Sent(ReadOnlySpan<IPAddress> sources)
    {
        lock (_lock)
        {
            foreach (var source in sources)
            {
                _waiting--;
                if (_waitingBy[source] is var left && left <= 1)
                {
                    _waitingBy.Remove(source);
                }
                else
                {
                    _waitingBy[source] = left - 1;
                }
            }
        }
    }

    private readonly record struct Outgoing(byte[] Datagram, IPEndPoint To, SocketAddress? Address, IPAddress Source);
}
