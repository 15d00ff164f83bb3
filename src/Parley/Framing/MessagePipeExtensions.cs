using System.IO.Pipelines;

namespace Parley.Framing;

/// <summary>
/// Length-prefixed messages over <see cref="PipeReader"/> and <see cref="PipeWriter"/>: the servers' hot path. The pipe
/// is the buffer here (it grows by what arrives, never by what a header declares); frames are taken off it by the same
/// codec step as <see cref="FrameReader"/> takes them off its own buffer (<see cref="LengthPrefixCodec.TryReadMessage"/>,
/// the maximum checked as soon as the header is in), and the end of input is judged by the same
/// <see cref="LengthPrefixCodec.ThrowIfIncomplete"/>.
/// </summary>
public static class MessagePipeExtensions
{
    /// <summary>
    /// Reads the next message, or <see langword="null"/> when the stream ended exactly between messages.
    /// </summary>
    /// <exception cref="MessageProtocolException">The peer broke the framing.</exception>
    public static async ValueTask<string?> ReadMessageAsync(
        this PipeReader reader, int maxMessageBytes = LengthPrefixCodec.DefaultMaxMessageBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            string? message;
            try
            {
                if (LengthPrefixCodec.TryReadMessage(ref buffer, maxMessageBytes, out message))
                {
                    reader.AdvanceTo(buffer.Start);
                    return message;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    LengthPrefixCodec.ThrowIfIncomplete(buffer, maxMessageBytes);
                    reader.AdvanceTo(buffer.End);
                    return null;
                }
            }
            catch (MessageProtocolException)
            {
                reader.AdvanceTo(buffer.End);
                throw;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes <paramref name="message"/> as one frame and flushes it.</summary>
    /// <exception cref="ArgumentException">The text has no UTF-8 form (a lone surrogate).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The text is over <paramref name="maxMessageBytes"/> in UTF-8.</exception>
    public static ValueTask<FlushResult> WriteMessageAsync(
        this PipeWriter writer, string message, int maxMessageBytes = LengthPrefixCodec.DefaultMaxMessageBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        LengthPrefixCodec.WriteMessage(writer, message, maxMessageBytes);
        return writer.FlushAsync(cancellationToken);
    }
}
