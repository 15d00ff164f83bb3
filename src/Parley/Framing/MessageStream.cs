using System.IO.Pipelines;

namespace Parley.Framing;

/// <summary>
/// Length-prefixed messages over any <see cref="Stream"/>: a <see cref="System.Net.Sockets.NetworkStream"/>, an
/// <see cref="System.Net.Security.SslStream"/>, a pipe. It reads through the same frame reader as
/// <see cref="MessageSocket"/> and writes through the pipe front end (<see cref="MessagePipeExtensions"/>). While
/// waiting for a message it holds no buffer. One reader and one writer may work at the same time.
/// </summary>
public sealed class MessageStream : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FrameReader _frames;
    private readonly PipeWriter _writer;
    private int _receiving;

    /// <summary>Wraps <paramref name="stream"/>, which stays open when this is disposed unless <paramref name="leaveOpen"/> is false.</summary>
    public MessageStream(Stream stream, int maxMessageBytes = LengthPrefixCodec.DefaultMaxMessageBytes, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageBytes);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _frames = new FrameReader(maxMessageBytes);
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>The largest payload accepted or sent, in bytes. Default 1 MiB.</summary>
    public int MaxMessageBytes => _frames.MaxMessageBytes;

    /// <summary>Reads the next message; <see langword="null"/> when the stream ended exactly between messages.</summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing.</exception>
    public async ValueTask<string?> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _receiving, 1, 0) != 0)
        {
            throw new InvalidOperationException("Another receive is already in progress on this MessageStream, or it was disposed.");
        }

        try
        {
            return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <summary>Sends <paramref name="message"/> as one frame.</summary>
    public async ValueTask SendMessageAsync(string message, CancellationToken cancellationToken = default) =>
        await _writer.WriteMessageAsync(message, MaxMessageBytes, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A receive still running owns the buffer; then the garbage collector takes it instead of the pool.
        if (Interlocked.CompareExchange(ref _receiving, 1, 0) == 0)
        {
            _frames.Release();
        }

        await _writer.CompleteAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_frames.TryReadMessage(out var message))
            {
                return message;
            }

            if (_frames.Buffered == 0)
            {
                // Between messages: wait for data without holding a buffer.
                _frames.Release();
                await _stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }

            // Without a budget the reader always makes room.
            _frames.TryGetReadBuffer(out var room, out _);
            var received = await _stream.ReadAsync(room, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                _frames.ThrowIfIncomplete();
                return null;
            }

            _frames.Advance(received);
        }
    }
}
