using System.Runtime.InteropServices;

namespace Parley.Epoll;

/// <summary>The Linux system calls of the epoll engine, and the few constants they take.</summary>
internal static unsafe partial class EpollNative
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 0x80000000;
    public const int EpollCloexec = 0x80000;
    public const int MsgNoSignal = 0x4000;
    public const int EIntr = 4;
    public const int EAgain = 11;

    /// <summary>
    /// The size of the kernel's <c>struct epoll_event</c> and where its data sits: packed (12 bytes, data at 4) on
    /// x86-64, naturally aligned (16 bytes, data at 8) elsewhere.
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeout);

    /// <summary>
    /// <c>epoll_wait</c> with a zero timeout: it never blocks, so it skips the runtime's switch to preemptive mode,
    /// which would cost more than the call itself when a loop polls.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    [SuppressGCTransition]
    public static partial int EpollPoll(int epfd, byte* events, int maxEvents, int timeout = 0);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nint length, int flags);

    /// <summary>Registers or removes <paramref name="fd"/> in <paramref name="epfd"/>; the errno on failure, 0 on success.</summary>
    public static int Control(int epfd, int op, int fd, uint events, ulong data)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + DataOffset) = data;
        return EpollCtl(epfd, op, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
