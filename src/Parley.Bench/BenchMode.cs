namespace Parley.Bench;

/// <summary>What the load generator of <c>parley bench</c> does on each connection.</summary>
public enum BenchMode
{
    /// <summary>One message in flight per connection: send it, wait for its echo, time the round trip, repeat.</summary>
    PingPong,

    /// <summary>Write and read at the same time on every connection, as fast as the server takes and returns bytes.</summary>
    Stream,

    /// <summary>Open every connection, send nothing for the duration, then prove each still echoes one message.</summary>
    Idle,

    /// <summary>Write without ever reading: shows whether the server holds back (backpressure) or buffers without bound.</summary>
    Flood,
}
