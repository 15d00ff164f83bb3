using System.IO.Pipelines;

namespace Parley.Framing;

/// <summary>
/// Length-prefixed messages over any <see cref="Stream"/>: a <see cref="System.Net.Sockets.NetworkStream"/>, an
/// <see cref="System.Net.Security.SslStream"/>, a pipe. A thin adapter over the pipe front end
/// (<see cref="MessagePipeExtensions"/>). One reader and one writer may work at the same time.
/// </summary>
public sealed class MessageStream : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;

    /// <summary>Wraps <paramref name="stream"/>, which stays open when this is disposed unless <paramref name="leaveOpen"/> is false.</summary>
    public MessageStream(Stream stream, int maxMessageBytes = LengthPrefixCodec.DefaultMaxMessageBytes, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageBytes);
        MaxMessageBytes = maxMessageBytes;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: leaveOpen, useZeroByteReads: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: leaveOpen));
    }

    /// <summary>The largest payload accepted or sent, in bytes. Default 1 MiB.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Reads the next message; <see langword="null"/> when the stream ended exactly between messages.</summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing.</exception>
    public ValueTask<string?> ReceiveMessageAsync(CancellationToken cancellationToken = default) =>
        _reader.ReadMessageAsync(MaxMessageBytes, cancellationToken);

    /// <summary>Sends <paramref name="message"/> as one frame.</summary>
    public async ValueTask SendMessageAsync(string message, CancellationToken cancellationToken = default) =>
        await _writer.WriteMessageAsync(message, MaxMessageBytes, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _writer.CompleteAsync().ConfigureAwait(false);
    }
}
