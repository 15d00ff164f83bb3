using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Parley.Epoll;

/// <summary>
/// One thread waiting in <c>epoll_wait</c> for the sockets given to it, edge-triggered: each socket is registered once
/// for reading and writing, and every readiness goes to its <see cref="EpollStream"/>, which does the I/O and runs the
/// waiting reader's or writer's continuation right here, with no hand-off to the thread pool.
/// </summary>
internal sealed unsafe class EpollLoop
{
    private const int MaxEvents = 256;
    private const uint Interest = EpollNative.EpollIn | EpollNative.EpollOut | EpollNative.EpollRdHup | EpollNative.EpollEt;

    [ThreadStatic]
    private static EpollLoop? _current;

    private readonly int _epoll;
    // Continuations that yielded on this loop's thread (EpollYield); only this thread touches the queue.
    private readonly Queue<Action> _deferred = new();
    private readonly Lock _gate = new();
    private readonly Stack<int> _free = new();
    private volatile EpollStream?[] _streams = new EpollStream?[64];
    private int _used;
    private uint _registrations;
    private long _busyPollTicks;

    public EpollLoop(int index)
    {
        _epoll = EpollNative.EpollCreate1(EpollNative.EpollCloexec);
        if (_epoll < 0)
        {
            throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
        }

        var thread = new Thread(Run) { IsBackground = true, Name = $"parley-epoll-{index}" };
        thread.UnsafeStart();
    }

    /// <summary>How many streams are registered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _used - _free.Count;
            }
        }
    }

    /// <summary>
    /// How long the loop, having run out of events, keeps polling for the next before it sleeps in <c>epoll_wait</c>:
    /// when the next event comes within it, the wake-up of a sleeping thread is saved (lower latency, and less work
    /// for the peer's send), for the CPU the polling burns. Zero (the default): it sleeps at once.
    /// </summary>
    public TimeSpan BusyPoll
    {
        get => TimeSpan.FromSeconds((double)Volatile.Read(ref _busyPollTicks) / Stopwatch.Frequency);
        set => Volatile.Write(ref _busyPollTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>
    /// Registers <paramref name="stream"/>'s socket; returns the key its events carry. Readiness already there is
    /// reported at once (the kernel checks on registration), so data that came before it is not missed.
    /// </summary>
    public ulong Register(EpollStream stream, int fd)
    {
        ulong key;
        lock (_gate)
        {
            int slot;
            if (_free.Count > 0)
            {
                slot = _free.Pop();
            }
            else
            {
                if (_used == _streams.Length)
                {
                    var grown = new EpollStream?[_streams.Length * 2];
                    _streams.CopyTo(grown, 0);
                    _streams = grown;
                }

                slot = _used++;
            }

            // The upper half tells this registration from an earlier one of the same slot, whose events may still
            // be in a batch the loop is working through.
            key = ((ulong)++_registrations << 32) | (uint)slot;
            stream.Key = key;
            _streams[slot] = stream;
        }

        var error = EpollNative.Control(_epoll, EpollNative.EpollCtlAdd, fd, Interest, key);
        if (error != 0)
        {
            Release(key);
            throw new IOException($"epoll_ctl failed (errno {error})");
        }

        return key;
    }

    /// <summary>
    /// Stops reporting the socket's events to its stream; <paramref name="fd"/> -1 when the socket is closed already
    /// (closing it left the epoll set).
    /// </summary>
    public void Unregister(ulong key, int fd)
    {
        if (fd >= 0)
        {
            EpollNative.Control(_epoll, EpollNative.EpollCtlDel, fd, 0, 0);
        }

        Release(key);
    }

    /// <summary>
    /// Runs <paramref name="continuation"/> on this thread's loop after the events it has collected; false when the
    /// calling thread is no loop's.
    /// </summary>
    public static bool TryDefer(Action continuation)
    {
        if (_current is not { } loop)
        {
            return false;
        }

        loop._deferred.Enqueue(continuation);
        return true;
    }

    private void Release(ulong key)
    {
        var slot = (int)(uint)key;
        lock (_gate)
        {
            if (_streams[slot]?.Key == key)
            {
                _streams[slot] = null;
                _free.Push(slot);
            }
        }
    }

    private void Run()
    {
        var size = EpollNative.EventSize;
        var offset = EpollNative.DataOffset;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        _current = this;
        long pollUntil = 0;
        while (true)
        {
            // With yielded work waiting, only look for events (their owners go first), do not wait for them; the
            // same while busy polling.
            var busyPoll = Volatile.Read(ref _busyPollTicks);
            var count = _deferred.Count > 0 || (busyPoll > 0 && Stopwatch.GetTimestamp() < pollUntil)
                ? EpollNative.EpollPoll(_epoll, events, MaxEvents)
                : EpollNative.EpollWait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                // EINTR (a signal, a debugger): wait again. Nothing else can fail on the loop's own epoll descriptor
                // and buffer; were it to, retrying would only spin a core, and every connection of the loop is lost.
                var error = Marshal.GetLastPInvokeError();
                if (error == EpollNative.EIntr)
                {
                    continue;
                }

                Environment.FailFast($"epoll_wait failed (errno {error}): the epoll loop cannot go on");
            }

            for (var i = 0; i < count; i++)
            {
                var entry = events + (i * size);
                var flags = *(uint*)entry;
                var key = *(ulong*)(entry + offset);
                var slot = (int)(uint)key;
                var streams = _streams;
                if (slot < streams.Length && streams[slot] is { } stream && stream.Key == key)
                {
                    stream.OnReady(flags);
                }
            }

            // Those that yielded before this round, in turn; those that yield again wait for the next.
            for (var n = _deferred.Count; n > 0; n--)
            {
                _deferred.Dequeue()();
            }

            // The window of polling opens when the work of the events is done, not when they came.
            if (count > 0 && busyPoll > 0)
            {
                pollUntil = Stopwatch.GetTimestamp() + busyPoll;
            }
        }
    }
}
