using Parley.Tcp;

namespace Parley.Bench;

/// <summary>What <see cref="LoadGenerator"/> sends, where, and for how long.</summary>
public sealed class BenchOptions
{
    /// <summary>The server's host name or address. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The server's port. Default 9000.</summary>
    public int Port { get; set; } = 9000;

    /// <summary>How many connections to open and load at once. Default 1.</summary>
    public int Connections { get; set; } = 1;

    /// <summary>
    /// The size of each message in bytes: the whole line, LF included, with <see cref="BenchFraming.Line"/>; the
    /// payload, after its 4-byte header, with <see cref="BenchFraming.Length"/>. In stream and flood modes, each
    /// write is one message. Default 64.
    /// </summary>
    public int MessageSize { get; set; } = 64;

    /// <summary>How long to measure, after the warm-up (the time connections are held, in idle mode). Default 10 seconds.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to send load before measuring, so that both ends are warm. Default 2 seconds; may be zero.</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Ping-pong, stream, idle or flood. Default <see cref="BenchMode.PingPong"/>.</summary>
    public BenchMode Mode { get; set; } = BenchMode.PingPong;

    /// <summary>Lines or length-prefixed messages. Default <see cref="BenchFraming.Line"/>.</summary>
    public BenchFraming Framing { get; set; } = BenchFraming.Line;

    /// <summary>The most bytes read from the server at once, in stream mode. Default 65,536.</summary>
    public int ReadChunkSize { get; set; } = 64 * 1024;

    /// <summary>
    /// After the measured time, how long to wait for echoes still owed before counting them as missing. Default
    /// 5 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many connections are opened at the same time while connecting. Default 32.</summary>
    public int ConnectConcurrency { get; set; } = 32;

    /// <summary>
    /// How long the generator's epoll loops poll for the next echo before they sleep (see
    /// <see cref="TcpServerOptions.BusyPoll"/>): the generator then never pays for a wake-up, nor does the server for
    /// waking it, so more of the round trip is the server's. Costs the generator's whole core while it runs. Default
    /// zero: no polling.
    /// </summary>
    public TimeSpan BusyPoll { get; set; }

    /// <summary>How each connection is made (connect timeout, address family).</summary>
    public ConnectOptions Connect { get; set; } = new();
}
