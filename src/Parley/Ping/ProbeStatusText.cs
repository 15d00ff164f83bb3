using Parley.Tcp;

namespace Parley.Ping;

/// <summary>Names and explanations of <see cref="ProbeStatus"/> values, for people and for scripts.</summary>
internal static class ProbeStatusText
{
    /// <summary>A stable lower-case name for scripts: <c>answered</c>, <c>refused</c>, <c>connect-timeout</c>, ...</summary>
    public static string Name(ProbeStatus status) => status switch
    {
        ProbeStatus.Answered => "answered",
        ProbeStatus.Refused => "refused",
        ProbeStatus.ConnectTimedOut => "connect-timeout",
        ProbeStatus.NoRoute => "no-route",
        ProbeStatus.Reset => "reset",
        ProbeStatus.TlsFailed => "tls-failed",
        ProbeStatus.NoEcho => "no-echo",
        ProbeStatus.Closed => "closed",
        ProbeStatus.Mismatch => "mismatch",
        _ => "error",
    };

    /// <summary>A few words for a person: <c>connection refused</c>, <c>connect timed out</c>, ...</summary>
    public static string Words(ProbeStatus status) => status switch
    {
        ProbeStatus.Answered => "answered",
        ProbeStatus.Refused => "connection refused",
        ProbeStatus.ConnectTimedOut => "connect timed out",
        ProbeStatus.NoRoute => "no route",
        ProbeStatus.Reset => "connection reset",
        ProbeStatus.TlsFailed => "TLS handshake failed",
        ProbeStatus.NoEcho => "no echo in time",
        ProbeStatus.Closed => "closed by the server",
        ProbeStatus.Mismatch => "echo differed",
        _ => "other error",
    };

    /// <summary>What to check after a probe ended with <paramref name="status"/> against <paramref name="port"/>.</summary>
    public static string Hint(ProbeStatus status, int port) => status switch
    {
        ProbeStatus.Answered => "",
        ProbeStatus.Refused => TcpConnector.Hint(ConnectFailure.Refused, port),
        ProbeStatus.ConnectTimedOut => TcpConnector.Hint(ConnectFailure.TimedOut, port),
        ProbeStatus.NoRoute => TcpConnector.Hint(ConnectFailure.NoRoute, port),
        ProbeStatus.Reset => TcpConnector.Hint(ConnectFailure.Reset, port),
        ProbeStatus.TlsFailed => "the connection was made, but the TLS handshake failed: is the server started with --tls? "
            + "(For a plain server, leave out --tls.)",
        ProbeStatus.NoEcho => "the connection was made, but the echo did not come back: is it an echo server, and in this mode "
            + "(--framing length for a framed Parley server, --raw for other echo services)? Is it overloaded?",
        ProbeStatus.Closed => "the server accepted the connection, then closed it: is it an echo server, and in this mode "
            + "(--framing length for a framed Parley server)? A TLS server (then add --tls)? Does it limit its clients?",
        ProbeStatus.Mismatch => "the bytes that came back differ from those sent: it is not an echo server, or something "
            + "in between (a proxy, a broken link) alters the data",
        _ => TcpConnector.Hint(ConnectFailure.Other, port),
    };

    internal static ProbeStatus From(ConnectFailure failure) => failure switch
    {
        ConnectFailure.Refused => ProbeStatus.Refused,
        ConnectFailure.TimedOut => ProbeStatus.ConnectTimedOut,
        ConnectFailure.NoRoute => ProbeStatus.NoRoute,
        ConnectFailure.Reset => ProbeStatus.Reset,
        _ => ProbeStatus.Failed,
    };
}
