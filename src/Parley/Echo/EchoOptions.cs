using Parley.Framing;

namespace Parley.Echo;

/// <summary>Settings of the echo service.</summary>
public sealed class EchoOptions
{
    /// <summary>The most bytes read from a client at once (line and raw modes). Default 1024.</summary>
    public int ChunkSize { get; set; } = 1024;

    /// <summary>Line, raw or framed. Default <see cref="EchoMode.Line"/>.</summary>
    public EchoMode Mode { get; set; } = EchoMode.Line;

    /// <summary>The largest message accepted in framed mode, in bytes. Default 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = LengthPrefixCodec.DefaultMaxMessageBytes;

    /// <summary>
    /// Framed mode: a message must arrive whole within this long of its first byte, or the connection is closed.
    /// Default <see langword="null"/>: no limit (then a client can hold an unfinished message, and its memory, for ever).
    /// </summary>
    public TimeSpan? FrameTimeout { get; set; }

    /// <summary>
    /// Framed mode: the most memory, in bytes, that the unfinished messages of all connections may hold together (the
    /// buffers, sized in powers of two); a connection that needs more for its message is closed. Default 0: no limit.
    /// </summary>
    public long MaxBufferedBytes { get; set; }
}
