using System.Runtime.InteropServices;

namespace Parley.Epoll;

/// <summary>The process's epoll loops, one per processor the process may run on, started on first use.</summary>
internal static class EpollEngine
{
    private static readonly Lock Gate = new();
    private static readonly List<TimeSpan> BusyPolls = [];
    private static EpollLoop[]? _loops;
    private static uint _next;

    /// <summary>Linux on x86-64 or Arm64: where the engine's system calls and event layout are known.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The loop for the next connection, in turn.</summary>
    public static EpollLoop NextLoop()
    {
        var loops = Volatile.Read(ref _loops) ?? Start();
        return loops[Interlocked.Increment(ref _next) % (uint)loops.Length];
    }

    /// <summary>Streams registered in all loops now.</summary>
    public static int Count => Volatile.Read(ref _loops)?.Sum(static l => l.Count) ?? 0;

    /// <summary>Starts the loops now, so that a failure to (out of descriptors, say) is the server's start failing.</summary>
    public static void EnsureStarted() => _ = Volatile.Read(ref _loops) ?? Start();

    /// <summary>
    /// Has the loops poll for <paramref name="duration"/> before they sleep (<see cref="EpollLoop.BusyPoll"/>) until
    /// <see cref="StopBusyPoll"/> takes it back; with several asked for at once, the longest.
    /// </summary>
    public static void StartBusyPoll(TimeSpan duration)
    {
        var loops = Volatile.Read(ref _loops) ?? Start();
        lock (Gate)
        {
            BusyPolls.Add(duration);
            PollForLongest(loops);
        }
    }

    /// <summary>Takes back a <see cref="StartBusyPoll"/>.</summary>
    public static void StopBusyPoll(TimeSpan duration)
    {
        var loops = Volatile.Read(ref _loops) ?? Start();
        lock (Gate)
        {
            BusyPolls.Remove(duration);
            PollForLongest(loops);
        }
    }

    /// <summary>How long the loops poll before they sleep now: the longest <see cref="StartBusyPoll"/> not taken back.</summary>
    public static TimeSpan BusyPoll
    {
        get
        {
            lock (Gate)
            {
                return Longest();
            }
        }
    }

    private static TimeSpan Longest() => BusyPolls.Count == 0 ? TimeSpan.Zero : BusyPolls.Max();

    private static void PollForLongest(EpollLoop[] loops)
    {
        var longest = Longest();
        foreach (var loop in loops)
        {
            loop.BusyPoll = longest;
        }
    }

    private static EpollLoop[] Start()
    {
        lock (Gate)
        {
            if (_loops is null)
            {
                var loops = new EpollLoop[Math.Max(1, Environment.ProcessorCount)];
                for (var i = 0; i < loops.Length; i++)
                {
                    loops[i] = new EpollLoop(i);
                }

                Volatile.Write(ref _loops, loops);
            }

            return _loops;
        }
    }
}
