using System.Runtime.CompilerServices;

namespace Parley.Epoll;

/// <summary>
/// Lets the other connections run: awaited on an epoll loop's thread, the rest of the caller runs on that thread after
/// the events the loop has already collected (and everyone yielding before it), with no hand-off to another thread;
/// awaited anywhere else, it is <see cref="Task.Yield"/>.
/// </summary>
internal readonly struct EpollYield : ICriticalNotifyCompletion
{
    public bool IsCompleted => false;

    public EpollYield GetAwaiter() => this;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) => Task.Yield().GetAwaiter().OnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        if (!EpollLoop.TryDefer(continuation))
        {
            Task.Yield().GetAwaiter().UnsafeOnCompleted(continuation);
        }
    }
}
