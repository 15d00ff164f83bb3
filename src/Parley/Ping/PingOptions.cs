using Parley.Echo;
using Parley.Tcp;

namespace Parley.Ping;

/// <summary>How <see cref="Pinger"/> probes a server.</summary>
public sealed class PingOptions
{
    /// <summary>The largest probe, in bytes: 1 MiB.</summary>
    public const int MaxSize = 1024 * 1024;

    /// <summary>How many probes to send; 0 sends until cancelled. Default 5.</summary>
    public int Count { get; set; } = 5;

    /// <summary>
    /// Time from the start of one probe to the start of the next (a probe that takes longer is followed at once).
    /// Default 1 second.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bytes per probe: the whole line with its LF (line mode), the raw bytes (raw mode), or the message body
    /// without its 4-byte header (framed mode). From 1 to <see cref="MaxSize"/>. Default 32.
    /// </summary>
    public int Size { get; set; } = 32;

    /// <summary>
    /// What the server speaks: <see cref="EchoMode.Line"/> (one text line per probe, for a Parley echo server in line
    /// mode), <see cref="EchoMode.Raw"/> (bytes of every value, for any RFC 862 echo service), or
    /// <see cref="EchoMode.Framed"/> (one length-prefixed message). Default line.
    /// </summary>
    public EchoMode Mode { get; set; } = EchoMode.Line;

    /// <summary>How to connect: the connect time limit per address, and the address family. Default 5 s, any family.</summary>
    public ConnectOptions Connect { get; set; } = new();

    /// <summary>How long to wait, once connected, for the whole echo to come back. Default 5 seconds.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
