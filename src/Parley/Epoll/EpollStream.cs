using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Epoll;

/// <summary>
/// A connected TCP socket as a <see cref="Stream"/>, driven by an <see cref="EpollLoop"/>: a read or write that can
/// go at once is one system call on the caller's thread; one that has to wait parks in a reused
/// <see cref="EpollOperation"/> until the loop reports the socket ready, then finishes on the loop's thread, which runs
/// the caller's continuation. A wait for data (a zero-byte read) after a read that emptied the socket costs no
/// system call at all: the edge the kernel reports when data comes is the answer.
/// </summary>
/// <remarks>
/// Each direction is a small state machine changed only with compare-and-swap: <see cref="Idle"/> (nothing known),
/// <see cref="Ready"/> (the loop saw readiness since the last attempt began), <see cref="Waiting"/> (an operation is
/// parked), <see cref="Closed"/>. An attempt first clears <see cref="Ready"/>, so readiness that comes during it is
/// seen by the park that follows, and nothing waits for an edge that has already passed.
/// </remarks>
internal sealed unsafe class EpollStream : Stream
{
    private const int Idle = 0;
    private const int Ready = 1;
    private const int Waiting = 2;
    private const int Closed = 3;

    private const int EBadF = 9;

    private static readonly Action<object?> CancelReadCallback = static s => ((EpollStream)s!).CancelRead();
    private static readonly Action<object?> CancelWriteCallback = static s => ((EpollStream)s!).CancelWrite();

    private readonly SafeSocketHandle _handle;
    private readonly EpollLoop _loop;
    private readonly CancellationToken _owner;
    private readonly EpollOperation _read = new();
    private EpollOperation? _write;
    private int _readState;
    private int _writeState;
    // Whether the last read found the socket empty: then a wait for data needs no system call, only the next edge.
    private bool _drained = true;
    // The peer closed or reset: sticky, because a read that empties the socket of data leaves the end of the stream
    // to the next read, and the edge that announced it has passed.
    private volatile bool _hungUp;
    private bool _disposed;

    /// <summary>
    /// Takes over <paramref name="socket"/> (made non-blocking) for reading and writing through <paramref name="loop"/>.
    /// Reads and writes given <paramref name="owner"/> as their token register nothing: the owner calls
    /// <see cref="OwnerCancelled"/> when it cancels it, which saves a registration per read of every idle connection.
    /// </summary>
    public EpollStream(Socket socket, EpollLoop loop, CancellationToken owner)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Blocking = false;
        _handle = socket.SafeHandle;
        _loop = loop;
        _owner = owner;
        Key = loop.Register(this, (int)_handle.DangerousGetHandle());
    }

    /// <summary>The registration's key in its loop; events that carry another are an earlier registration's.</summary>
    internal ulong Key { get; set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (buffer.IsEmpty)
        {
            return WaitForDataAsync(cancellationToken);
        }

        while (true)
        {
            if (Interlocked.CompareExchange(ref _readState, Idle, Ready) == Closed)
            {
                return ValueTask.FromException<int>(new ObjectDisposedException(nameof(EpollStream)));
            }

            var received = Receive(buffer.Span, out var error);
            if (received >= 0)
            {
                _drained = received < buffer.Length;
                return new ValueTask<int>(received);
            }

            if (error == EpollNative.EIntr)
            {
                continue;
            }

            if (error != EpollNative.EAgain)
            {
                return ValueTask.FromException<int>(Failure(error));
            }

            _drained = true;
            switch (Park(ref _readState, _read, buffer, cancellationToken, CancelReadCallback))
            {
                case Waiting:
                    return new ValueTask<int>(_read, _read.Version);
                case Closed:
                    return ValueTask.FromException<int>(new ObjectDisposedException(nameof(EpollStream)));
            }
        }
    }

    private ValueTask<int> WaitForDataAsync(CancellationToken cancellationToken)
    {
        // The last read filled its buffer, so more may be waiting, or the stream's end is known to be there: say
        // "ready" and let the next read find out.
        if (!_drained || _hungUp)
        {
            return new ValueTask<int>(0);
        }

        while (true)
        {
            switch (Volatile.Read(ref _readState))
            {
                case Ready:
                    return new ValueTask<int>(0);
                case Closed:
                    return ValueTask.FromException<int>(new ObjectDisposedException(nameof(EpollStream)));
            }

            if (Park(ref _readState, _read, Memory<byte>.Empty, cancellationToken, CancelReadCallback) == Waiting)
            {
                return new ValueTask<int>(_read, _read.Version);
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var sent = 0;
        while (sent < buffer.Length)
        {
            if (Interlocked.CompareExchange(ref _writeState, Idle, Ready) == Closed)
            {
                return ValueTask.FromException(new ObjectDisposedException(nameof(EpollStream)));
            }

            var count = Send(buffer.Span[sent..], out var error);
            if (count >= 0)
            {
                sent += count;
                continue;
            }

            if (error == EpollNative.EIntr)
            {
                continue;
            }

            if (error != EpollNative.EAgain)
            {
                return ValueTask.FromException(Failure(error));
            }

            var operation = _write ??= new EpollOperation();
            switch (Park(ref _writeState, operation, MemoryMarshal.AsMemory(buffer[sent..]), cancellationToken, CancelWriteCallback))
            {
                case Waiting:
                    return new ValueTask(operation, operation.Version);
                case Closed:
                    return ValueTask.FromException(new ObjectDisposedException(nameof(EpollStream)));
            }
        }

        return default;
    }

    /// <summary>
    /// Parks <paramref name="operation"/> until the loop reports readiness: <see cref="Waiting"/> when parked,
    /// <see cref="Ready"/> when readiness came meanwhile (try again), <see cref="Closed"/> when the stream is.
    /// </summary>
    private int Park(ref int state, EpollOperation operation, Memory<byte> buffer, CancellationToken cancellationToken, Action<object?> cancel)
    {
        operation.Prepare(buffer, cancellationToken);
        // Registered before the park, never after: once parked, the loop may finish the operation at once, and a
        // registration made after that would outlive it and cancel whatever the next read or write parks. The
        // callback finds nothing parked if the token fires before the park; the check below sees it then.
        if (cancellationToken.CanBeCanceled && cancellationToken != _owner)
        {
            operation.Registration = cancellationToken.UnsafeRegister(cancel, this);
        }

        var was = Interlocked.CompareExchange(ref state, Waiting, Idle);
        if (was != Idle)
        {
            operation.Release();
            return was;
        }

        // The owner cancels through OwnerCancelled, which finds nothing parked if it ran before this park.
        if (cancellationToken.IsCancellationRequested)
        {
            CancelWaiting(ref state, operation);
        }

        return Waiting;
    }

    /// <summary>The loop's report: the socket became readable, writable, or broken (then both).</summary>
    internal void OnReady(uint events)
    {
        if ((events & (EpollNative.EpollRdHup | EpollNative.EpollHup | EpollNative.EpollErr)) != 0)
        {
            _hungUp = true;
        }

        if ((events & (EpollNative.EpollIn | EpollNative.EpollRdHup | EpollNative.EpollHup | EpollNative.EpollErr)) != 0
            && Signal(ref _readState))
        {
            ResumeRead();
        }

        if ((events & (EpollNative.EpollOut | EpollNative.EpollHup | EpollNative.EpollErr)) != 0 && Signal(ref _writeState))
        {
            ResumeWrite();
        }
    }

    /// <summary>Records readiness; true when an operation was parked and is now the caller's to finish.</summary>
    private static bool Signal(ref int state)
    {
        while (true)
        {
            var was = Volatile.Read(ref state);
            switch (was)
            {
                case Waiting when Interlocked.CompareExchange(ref state, Idle, Waiting) == Waiting:
                    return true;
                case Idle when Interlocked.CompareExchange(ref state, Ready, Idle) == Idle:
                    return false;
                case Ready or Closed:
                    return false;
            }
        }
    }

    private void ResumeRead()
    {
        var operation = _read;
        var buffer = operation.Buffer;
        if (buffer.IsEmpty)
        {
            operation.Complete(0);
            return;
        }

        while (true)
        {
            var received = Receive(buffer.Span, out var error);
            if (received >= 0)
            {
                _drained = received < buffer.Length;
                operation.Complete(received);
                return;
            }

            if (Settle(error, ref _readState, operation))
            {
                return;
            }
        }
    }

    private void ResumeWrite()
    {
        var operation = _write!;
        while (true)
        {
            var rest = operation.Buffer;
            var count = Send(rest.Span, out var error);
            if (count >= 0)
            {
                if (count == rest.Length)
                {
                    operation.Complete(0);
                    return;
                }

                operation.Buffer = rest[count..];
                continue;
            }

            if (Settle(error, ref _writeState, operation))
            {
                return;
            }
        }
    }

    /// <summary>
    /// After a resumed operation's system call failed: fails it, or parks it again; false when it should be tried again
    /// at once (interrupted, or readiness came meanwhile).
    /// </summary>
    private bool Settle(int error, ref int state, EpollOperation operation)
    {
        if (error == EpollNative.EIntr)
        {
            return false;
        }

        if (error != EpollNative.EAgain)
        {
            operation.Fail(Failure(error));
            return true;
        }

        return Repark(ref state, operation);
    }

    /// <summary>Parks a resumed operation again; false when readiness came meanwhile (try again).</summary>
    private bool Repark(ref int state, EpollOperation operation)
    {
        var was = Interlocked.CompareExchange(ref state, Waiting, Idle);
        if (was == Ready)
        {
            Interlocked.CompareExchange(ref state, Idle, Ready);
            return false;
        }

        if (was == Closed)
        {
            operation.Fail(new ObjectDisposedException(nameof(EpollStream)));
            return true;
        }

        // A cancellation while the operation was out of the park found nothing to cancel: look again.
        if (operation.Token.IsCancellationRequested)
        {
            CancelWaiting(ref state, operation);
        }

        return true;
    }

    private void CancelWaiting(ref int state, EpollOperation operation)
    {
        if (Interlocked.CompareExchange(ref state, Idle, Waiting) == Waiting)
        {
            operation.FailLater(new OperationCanceledException(operation.Token));
        }
    }

    private void CancelRead() => CancelWaiting(ref _readState, _read);

    private void CancelWrite() => CancelWaiting(ref _writeState, _write!);

    /// <summary>The owner cancelled its token: ends the read or write parked with it.</summary>
    internal void OwnerCancelled()
    {
        if (_read.Token == _owner)
        {
            CancelWaiting(ref _readState, _read);
        }

        if (_write is { } write && write.Token == _owner)
        {
            CancelWaiting(ref _writeState, write);
        }
    }

    /// <summary>Ends the stream at once: a parked read or write fails as aborted, later ones as disposed.</summary>
    internal void Abort()
    {
        if (Interlocked.Exchange(ref _readState, Closed) == Waiting)
        {
            Aborted(_read);
        }

        // The write's operation is looked up only after the exchange: a first write may be parking right now, and one
        // that parked before it is there to fail, while one that parks after it finds the stream closed.
        if (Interlocked.Exchange(ref _writeState, Closed) == Waiting)
        {
            Aborted(Volatile.Read(ref _write)!);
        }
    }

    private static void Aborted(EpollOperation operation) =>
        operation.FailLater(new IOException("The connection was aborted.", new SocketException((int)SocketError.OperationAborted)));

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Abort();
            var added = false;
            try
            {
                _handle.DangerousAddRef(ref added);
                _loop.Unregister(Key, (int)_handle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                // The socket is closed already, and with it its registration (its descriptor may be another
                // socket's by now, so it is not touched): only the loop's slot is left to free.
                _loop.Unregister(Key, fd: -1);
            }
            finally
            {
                if (added)
                {
                    _handle.DangerousRelease();
                }
            }
        }

        base.Dispose(disposing);
    }

    private int Receive(Span<byte> buffer, out int error) => Transfer(buffer, send: false, out error);

    private int Send(ReadOnlySpan<byte> buffer, out int error) => Transfer(buffer, send: true, out error);

    /// <summary>
    /// One <c>recv</c> or <c>send</c>, holding the socket's handle meanwhile, so that its descriptor cannot be closed
    /// (and given to another connection) under the call; -1 and the errno when it fails.
    /// </summary>
    private int Transfer(ReadOnlySpan<byte> buffer, bool send, out int error)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            error = EBadF;
            return -1;
        }

        try
        {
            fixed (byte* data = buffer)
            {
                var fd = (int)_handle.DangerousGetHandle();
                var count = (int)(send
                    ? EpollNative.Send(fd, data, buffer.Length, EpollNative.MsgNoSignal)
                    : EpollNative.Recv(fd, data, buffer.Length, 0));
                error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
                return count;
            }
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    /// <summary>The exception a failed system call means, shaped as the runtime's sockets shape theirs.</summary>
    private static Exception Failure(int errno) => errno == EBadF
        ? new ObjectDisposedException(nameof(EpollStream))
        : new IOException("Unable to transfer data on the transport connection.", new SocketException((int)ToSocketError(errno)));

    private static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown,
        110 => SocketError.TimedOut,
        107 => SocketError.NotConnected,
        103 => SocketError.ConnectionAborted,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        102 => SocketError.NetworkReset,
        100 => SocketError.NetworkDown,
        112 => SocketError.HostDown,
        _ => SocketError.SocketError,
    };

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
