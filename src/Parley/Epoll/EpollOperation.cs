using System.Threading.Tasks.Sources;

namespace Parley.Epoll;

/// <summary>
/// A read or a write of an <see cref="EpollStream"/> that has to wait for the socket: what it is for, and the
/// awaitable its caller holds. One per direction and stream, reused, so waiting allocates nothing.
/// </summary>
internal sealed class EpollOperation : IValueTaskSource<int>, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<int> _core;

    /// <summary>Where a read puts its bytes, or what a write still has to send; empty for a wait for data.</summary>
    public Memory<byte> Buffer { get; set; }

    /// <summary>The caller's cancellation.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>The cancellation callback, when the token is not the stream's owner's.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    public short Version => _core.Version;

    public void Prepare(Memory<byte> buffer, CancellationToken token)
    {
        _core.Reset();
        Buffer = buffer;
        Token = token;
    }

    /// <summary>Completes the operation; its caller's continuation runs on this thread.</summary>
    public void Complete(int result)
    {
        Finish();
        _core.SetResult(result);
    }

    public void Fail(Exception error)
    {
        Finish();
        _core.SetException(error);
    }

    /// <summary>Fails the operation from the thread pool: for cancellation and aborts, which come from threads that must not run the caller's code.</summary>
    public void FailLater(Exception error) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Operation.Fail(s.Error), (Operation: this, Error: error), preferLocal: false);

    /// <summary>
    /// Drops the cancellation callback, waiting for it if it is running on another thread right now: it then acts
    /// on this operation, never on the next one.
    /// </summary>
    public void Release()
    {
        Registration.Dispose();
        Registration = default;
    }

    private void Finish()
    {
        Release();
        Buffer = default;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public int GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
}
