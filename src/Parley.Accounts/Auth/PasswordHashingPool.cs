namespace Parley.Auth;

/// <summary>
/// Runs password hashing off the network I/O path: a fixed number of dedicated threads (about one per core) take
/// work from a bounded queue. The thread pool, which runs every connection's I/O, never blocks on a hash, so a flood
/// of sign-ins cannot starve other clients' traffic; the bounded queue caps the memory a flood can take, and past it
/// <see cref="TryRun{T}(string, HashingPurpose, Func{T}, out Task{T})"/> says no at once (the client gets <c>busy</c>).
/// The queue is shared fairly (issue 16): the threads take work from each client address in turn, so one address's
/// backlog never stands in front of another's; one address may hold at most <see cref="MaxQueuedPerAddress"/> of
/// the queue, and registrations at most <see cref="MaxQueuedRegistrations"/>, which keeps room for the sign-ins of
/// existing accounts.
/// </summary>
public sealed class PasswordHashingPool : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<Item>> _byAddress = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Thread[] _workers;
    private int _queued;
    private int _registrations;
    private int _running;
    private bool _closed;

    /// <summary>Creates the pool and starts its threads.</summary>
    /// <param name="workers">Hashes computed at once. Default: one per core.</param>
    /// <param name="queueLength">Hashes that may wait for a worker. Default: 64 per worker.</param>
    /// <param name="maxQueuedPerAddress">Hashes one client address may have waiting. Default: no limit but the queue's.</param>
    /// <param name="maxQueuedRegistrations">Registrations' hashes that may wait. Default: no limit but the queue's.</param>
    public PasswordHashingPool(int? workers = null, int? queueLength = null, int? maxQueuedPerAddress = null, int? maxQueuedRegistrations = null)
    {
        var count = workers ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(workers));
        var length = queueLength ?? 64 * count;
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1, nameof(queueLength));
        Workers = count;
        QueueLength = length;
        MaxQueuedPerAddress = Math.Clamp(maxQueuedPerAddress ?? length, 1, length);
        MaxQueuedRegistrations = Math.Clamp(maxQueuedRegistrations ?? length, 0, length);
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

    /// <summary>How many hashes one client address may have waiting.</summary>
    public int MaxQueuedPerAddress { get; }

    /// <summary>How many registrations' hashes may wait; the rest of the queue is kept for sign-ins.</summary>
    public int MaxQueuedRegistrations { get; }

    /// <summary>Hashes waiting for a worker now.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Hashes being computed now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Queues <paramref name="work"/> as a sign-in from no particular address; see the other overload.</summary>
    public bool TryRun<T>(Func<T> work, out Task<T> result) => TryRun("", HashingPurpose.SignIn, work, out result);

    /// <summary>
    /// Queues <paramref name="work"/> for <paramref name="address"/>; <see langword="false"/> at once when the queue,
    /// this address's share of it, or (for a registration) the registrations' share is full. The task completes (on
    /// the thread pool, not on a hashing thread) with the work's result or exception.
    /// </summary>
    internal bool TryRun<T>(string address, HashingPurpose purpose, Func<T> work, out Task<T> result)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        result = completion.Task;
        var registration = purpose == HashingPurpose.Registration;
        var item = new Item(registration, () =>
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
        lock (_lock)
        {
            _byAddress.TryGetValue(address, out var queue);
            if (_closed || _queued >= QueueLength || (queue?.Count ?? 0) >= MaxQueuedPerAddress
                || (registration && _registrations >= MaxQueuedRegistrations))
            {
                return false;
            }

            if (queue is null)
            {
                queue = new Queue<Item>();
                _byAddress.Add(address, queue);
                _turns.Enqueue(address);
            }

            queue.Enqueue(item);
            _queued++;
            AuthMetrics.Queued(1);
            _registrations += registration ? 1 : 0;
        }

        _available.Release();
        return true;
    }

    /// <summary>Stops taking work; the threads finish what is queued and end.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        // One wake-up per thread, past the work still queued: each ends when it finds nothing left.
        _available.Release(_workers.Length);
    }

    private void Work()
    {
        while (true)
        {
            _available.Wait();
            Item item;
            lock (_lock)
            {
                if (_turns.Count == 0)
                {
                    if (_closed)
                    {
                        return;
                    }

                    continue;
                }

                // Round robin between addresses: this address's next hash goes to the back of the line.
                var address = _turns.Dequeue();
                var queue = _byAddress[address];
                item = queue.Dequeue();
                if (queue.Count > 0)
                {
                    _turns.Enqueue(address);
                }
                else
                {
                    _byAddress.Remove(address);
                }

                _queued--;
                AuthMetrics.Queued(-1);
                _registrations -= item.Registration ? 1 : 0;
                Interlocked.Increment(ref _running);
            }

            var started = AuthMetrics.HashingStarts();
            try
            {
                item.Run();
            }
            finally
            {
                AuthMetrics.Hashed(started);
                Interlocked.Decrement(ref _running);
            }
        }
    }

    private sealed record Item(bool Registration, Action Run);
}
