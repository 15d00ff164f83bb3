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
}
