namespace Parley.Ping;

/// <summary>How one ping probe ended.</summary>
public enum ProbeStatus
{
    /// <summary>Connected, and the echo came back complete and unchanged.</summary>
    Answered,

    /// <summary>The host answered the connect with a refusal: nothing listens on the port.</summary>
    Refused,

    /// <summary>The connect got no answer in time: the host is down, or a firewall drops the packets.</summary>
    ConnectTimedOut,

    /// <summary>The network has no route to the host.</summary>
    NoRoute,

    /// <summary>The connection was reset, while connecting or while waiting for the echo.</summary>
    Reset,

    /// <summary>Connected, but the TLS handshake failed or timed out (with <c>--tls</c>).</summary>
    TlsFailed,

    /// <summary>Connected, but the echo did not come back (complete) in time.</summary>
    NoEcho,

    /// <summary>Connected, but the server closed the connection before echoing everything.</summary>
    Closed,

    /// <summary>Connected, but what came back is not what was sent.</summary>
    Mismatch,

    /// <summary>Anything else; the probe's message carries the operating system's words.</summary>
    Failed,
}
