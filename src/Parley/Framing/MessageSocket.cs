using System.Buffers;
using System.Buffers.Binary;
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
    private const int MinimumReceive = 4096;

    private byte[] _receiveBuffer = [];
    private int _start;
    private int _end;
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
    public int MaxMessageBytes { get; set; } = LengthPrefixCodec.DefaultMaxMessageBytes;

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
            while (true)
            {
                if (TryTakeMessage(out var message))
                {
                    return message;
                }

                var received = Receive(PrepareReceive().Span);
                if (received == 0)
                {
                    return EndOfStream();
                }

                _end += received;
            }
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
            while (true)
            {
                if (TryTakeMessage(out var message))
                {
                    return message;
                }

                var received = await ReceiveAsync(PrepareReceive(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    return EndOfStream();
                }

                _end += received;
            }
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
            ReleaseBuffer();
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
        message = null;
        if (_end == _start)
        {
            return false;
        }

        var data = new ReadOnlySequence<byte>(_receiveBuffer, _start, _end - _start);
        if (!LengthPrefixCodec.TryReadMessage(ref data, MaxMessageBytes, out message))
        {
            return false;
        }

        _start = _end - (int)data.Length;
        if (_start == _end)
        {
            // Hold no memory between messages: an idle socket keeps no buffer.
            ReleaseBuffer();
        }

        return true;
    }

    /// <summary>Makes room for what the current frame still needs (never more than the limit allows) and returns it.</summary>
    private Memory<byte> PrepareReceive()
    {
        var buffered = _end - _start;
        var needed = LengthPrefixCodec.HeaderLength;
        if (buffered >= LengthPrefixCodec.HeaderLength)
        {
            // The codec has already checked this length against the limit.
            needed += (int)BinaryPrimitives.ReadUInt32BigEndian(_receiveBuffer.AsSpan(_start));
        }

        var capacity = Math.Max(needed, MinimumReceive);
        if (_receiveBuffer.Length < capacity)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(capacity);
            _receiveBuffer.AsSpan(_start, buffered).CopyTo(bigger);
            ReleaseBuffer();
            _receiveBuffer = bigger;
            _end = buffered;
        }
        else if (_start > 0 && _receiveBuffer.Length - _start < capacity)
        {
            _receiveBuffer.AsSpan(_start, buffered).CopyTo(_receiveBuffer);
            _start = 0;
            _end = buffered;
        }

        return _receiveBuffer.AsMemory(_end);
    }

    private string? EndOfStream()
    {
        var rest = new ReadOnlySequence<byte>(_receiveBuffer, _start, _end - _start);
        LengthPrefixCodec.ThrowIfIncomplete(rest, MaxMessageBytes);
        return null;
    }

    private void ReleaseBuffer()
    {
        var buffer = _receiveBuffer;
        _receiveBuffer = [];
        _start = 0;
        _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
