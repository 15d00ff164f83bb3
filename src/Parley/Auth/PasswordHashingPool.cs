using System.Collections.Concurrent;

namespace Parley.Auth;

/// <summary>
/// Runs password hashing off the network I/O path: a fixed number of dedicated threads (about one per core) take
/// work from a bounded queue. The thread pool, which runs every connection's I/O, never blocks on a hash, so a flood
/// of sign-ins cannot starve other clients' traffic; the bounded queue caps the memory a flood can take, and past it
/// <see cref="TryRun{T}"/> says no at once (the client gets <c>busy</c>).
/// </summary>
public sealed class PasswordHashingPool : IDisposable
{
    private readonly BlockingCollection<Action> _queue;
    private readonly Thread[] _workers;
    private int _running;

    /// <summary>Creates the pool and starts its threads.</summary>
    /// <param name="workers">Hashes computed at once. Default: one per core.</param>
    /// <param name="queueLength">Hashes that may wait for a worker. Default: 64 per worker.</param>
    public PasswordHashingPool(int? workers = null, int? queueLength = null)
    {
        var count = workers ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(workers));
        var length = queueLength ?? 64 * count;
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1, nameof(queueLength));
        Workers = count;
        QueueLength = length;
        _queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>(), length);
        _workers = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"parley password hashing {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>How many hashes are computed at once.</summary>
    public int Workers { get; }

    /// <summary>How many hashes may wait for a worker.</summary>
    public int QueueLength { get; }

    /// <summary>Hashes waiting for a worker now.</summary>
    public int Queued => _queue.Count;

    /// <summary>Hashes being computed now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Queues <paramref name="work"/>; <see langword="false"/> at once when the queue is full. The task completes
    /// (on the thread pool, not on a hashing thread) with the work's result or exception.
    /// </summary>
    public bool TryRun<T>(Func<T> work, out Task<T> result)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        result = completion.Task;
        try
        {
            return _queue.TryAdd(() =>
            {
                try
                {
                    completion.TrySetResult(work());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            // Disposed: no more work is taken.
            return false;
        }
    }

    /// <summary>Stops taking work; the threads finish what is queued and end.</summary>
    public void Dispose() => _queue.CompleteAdding();

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            Interlocked.Increment(ref _running);
            try
            {
                item();
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
