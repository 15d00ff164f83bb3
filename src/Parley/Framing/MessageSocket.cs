using System.Buffers;
using System.Net.Sockets;

namespace Parley.Framing;

/// <summary>
/// A TCP <see cref="Socket"/> that sends and receives whole text messages in Parley's length-prefix framing (a
/// 4-byte big-endian length, then UTF-8; see docs/protocol.md). It adds methods to <see cref="Socket"/> and hides
/// none: <see cref="Socket.Send(byte[])"/> and the rest still send raw bytes, and mixing them with messages breaks
/// the framing. Partial sends and receives are handled inside; bytes that arrive beyond one message are kept for
/// the next. One sender and one receiver may work at the same time.
/// </summary>
/// <example>
/// <code>
/// using var socket = new MessageSocket();
/// await socket.ConnectAsync("localhost", 9000);
/// await socket.SendMessageAsync("hello");
/// string? reply = await socket.ReceiveMessageAsync(); // null once the server closed the connection
/// </code>
/// A server accepts straight into a <see cref="MessageSocket"/>:
/// <code>
/// var client = (MessageSocket)await listener.AcceptAsync(new MessageSocket(listener.AddressFamily), cancellationToken);
/// </code>
/// </example>
public sealed class MessageSocket : Socket
{
    private readonly FrameReader _frames = new(LengthPrefixCodec.DefaultMaxMessageBytes);
    private int _receiving;

    /// <summary>Creates a dual-stack (IPv6 with IPv4-mapped addresses) TCP socket where the OS allows, else IPv4.</summary>
    public MessageSocket()
        : base(SocketType.Stream, ProtocolType.Tcp)
    {
    }

    /// <summary>Creates a TCP socket of the given address family.</summary>
    public MessageSocket(AddressFamily addressFamily)
        : base(addressFamily, SocketType.Stream, ProtocolType.Tcp)
    {
    }

    /// <summary>Wraps an existing socket handle, for example one accepted elsewhere.</summary>
    public MessageSocket(SafeSocketHandle handle)
        : base(handle)
    {
    }

    /// <summary>
    /// The largest payload, in bytes, accepted from the peer and allowed to be sent. Default 1 MiB. A peer that
    /// declares more gets a <see cref="MessageProtocolException"/> before anything is allocated for it.
    /// </summary>
    public int MaxMessageBytes
    {
        get => _frames.MaxMessageBytes;
        set => _frames.MaxMessageBytes = value;
    }

    /// <summary>
    /// The most bytes one receive asks the OS for (more while a larger frame arrives). Default 4 KiB; a load
    /// generator reading many small frames at once wants more.
    /// </summary>
    internal int ReadSize
    {
        get => _frames.ReadSize;
        set => _frames.ReadSize = value;
    }

    /// <summary>Sends <paramref name="message"/> as one frame, blocking until all of it is handed to the OS.</summary>
    /// <exception cref="ArgumentException">The text has no UTF-8 form (a lone surrogate).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The text is over <see cref="MaxMessageBytes"/> in UTF-8.</exception>
    public void SendMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var frame = Encode(message);
        var remaining = frame.WrittenMemory.Span;
        while (!remaining.IsEmpty)
        {
            remaining = remaining[Send(remaining)..];
        }
    }

    /// <summary>Sends <paramref name="message"/> as one frame.</summary>
    /// <exception cref="ArgumentException">The text has no UTF-8 form (a lone surrogate).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The text is over <see cref="MaxMessageBytes"/> in UTF-8.</exception>
    public async ValueTask SendMessageAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var frame = Encode(message);
        var remaining = frame.WrittenMemory;
        while (!remaining.IsEmpty)
        {
            remaining = remaining[await SendAsync(remaining, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
        }
    }

    /// <summary>
    /// Receives the next message, blocking until it has fully arrived. Returns <see langword="null"/> when the peer
    /// closed the connection exactly between messages.
    /// </summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing: a length over
    /// <see cref="MaxMessageBytes"/>, a payload that is not UTF-8, or the stream ending inside a message.</exception>
    public string? ReceiveMessage()
    {
        EnterReceive();
        try
        {
            string? message;
            while (!TryTakeMessage(out message))
            {
                if (!Received(Receive(Room().Span)))
                {
                    return null;
                }
            }

            return message;
        }
        finally
        {
            ExitReceive();
        }
    }

    /// <summary>
    /// Receives the next message. Returns <see langword="null"/> when the peer closed the connection exactly between
    /// messages.
    /// </summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing: a length over
    /// <see cref="MaxMessageBytes"/>, a payload that is not UTF-8, or the stream ending inside a message.</exception>
    public async ValueTask<string?> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        EnterReceive();
        try
        {
            string? message;
            while (!TryTakeMessage(out message))
            {
                if (!await ReceiveMoreAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }

            return message;
        }
        finally
        {
            ExitReceive();
        }
    }

    /// <summary>
    /// Receives the next frame's payload as bytes, not decoded nor checked to be UTF-8: for binary payloads, or to
    /// look at the bytes without making a string. The memory is this socket's receive buffer, valid until the next
    /// receive or <see cref="Socket.Dispose()"/>. Returns <see langword="null"/> when the peer closed the connection
    /// exactly between messages.
    /// </summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing: a length over
    /// <see cref="MaxMessageBytes"/>, or the stream ending inside a message.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveFrameAsync(CancellationToken cancellationToken = default)
    {
        EnterReceive();
        try
        {
            ReadOnlySequence<byte> payload;
            while (!_frames.TryReadFrame(out payload))
            {
                if (!await ReceiveMoreAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }

            // The reader's buffer is one array, so the payload is one segment of it.
            return payload.First;
        }
        finally
        {
            ExitReceive();
        }
    }

    /// <summary>
    /// Takes the next frame if all of it has already been received, without asking the OS: a reader of many small
    /// frames takes those one read brought in a loop instead of an asynchronous receive each. The payload is valid as
    /// with <see cref="ReceiveFrameAsync"/>.
    /// </summary>
    /// <exception cref="MessageProtocolException">The header declares more than <see cref="MaxMessageBytes"/>.</exception>
    internal bool TryTakeFrame(out ReadOnlyMemory<byte> payload)
    {
        EnterReceive();
        try
        {
            var taken = _frames.TryReadFrame(out var frame);
            payload = frame.First;
            return taken;
        }
        finally
        {
            ExitReceive();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // A receive still running owns the buffer; then the garbage collector takes it instead of the pool.
        if (disposing && Interlocked.CompareExchange(ref _receiving, 1, 0) == 0)
        {
            _frames.Release();
        }

        base.Dispose(disposing);
    }

    private PooledBufferWriter Encode(string message)
    {
        var writer = new PooledBufferWriter(LengthPrefixCodec.HeaderLength + message.Length * 3);
        try
        {
            LengthPrefixCodec.WriteMessage(writer, message, MaxMessageBytes);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private bool TryTakeMessage(out string? message)
    {
        if (!_frames.TryReadMessage(out message))
        {
            return false;
        }

        if (_frames.Buffered == 0)
        {
            // Hold no memory between messages: an idle socket keeps no buffer.
            _frames.Release();
        }

        return true;
    }

    private Memory<byte> Room()
    {
        // Without a budget the reader always makes room.
        _frames.TryGetReadBuffer(out var room, out _);
        return room;
    }

    /// <summary>Receives what the peer sent next; <see langword="false"/> when it ended the stream between frames.</summary>
    private async ValueTask<bool> ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        var received = await ReceiveAsync(Room(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        return Received(received);
    }

    private bool Received(int received)
    {
        if (received == 0)
        {
            _frames.ThrowIfIncomplete();
            return false;
        }

        _frames.Advance(received);
        return true;
    }

    private void EnterReceive()
    {
        if (Interlocked.CompareExchange(ref _receiving, 1, 0) != 0)
        {
            ObjectDisposedException.ThrowIf(SafeHandle.IsClosed, this);
            throw new InvalidOperationException("Another receive is already in progress on this MessageSocket.");
        }
    }

    private void ExitReceive() => Volatile.Write(ref _receiving, 0);
}
