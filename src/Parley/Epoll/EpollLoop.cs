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
        while (true)
        {
            // With yielded work waiting, only look for events (their owners go first), do not wait for them.
            var count = EpollNative.EpollWait(_epoll, events, MaxEvents, _deferred.Count > 0 ? 0 : -1);
            if (count < 0)
            {
                // EINTR (a signal, a debugger): wait again. Nothing else can fail on a valid epoll descriptor.
                continue;
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
        }
    }
}
