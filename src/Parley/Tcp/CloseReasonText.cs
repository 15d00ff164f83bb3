namespace Parley.Tcp;

internal static class CloseReasonText
{
    public static string Describe(CloseReason reason) => reason switch
    {
        CloseReason.ExitCommand => "exit command",
        CloseReason.StopCommand => "stop command",
        CloseReason.ClosedByClient => "closed by the client",
        CloseReason.Reset => "connection reset",
        CloseReason.IdleTimeout => "idle timeout",
        CloseReason.ServerStopping => "server stopping",
        CloseReason.ProtocolError => "protocol error",
        CloseReason.Completed => "conversation ended",
        CloseReason.TlsHandshakeFailed => "TLS handshake failed",
        CloseReason.Aborted => "aborted during shutdown",
        CloseReason.Error => "server error",
        CloseReason.MessageTimeout => "message not completed in time",
        CloseReason.LimitExceeded => "over a server limit",
        _ => "unknown",
    };

    /// <summary>The reason as a metric attribute value (<c>parley.close_reason</c>): snake case, fixed, few.</summary>
    public static string Tag(CloseReason reason) => reason switch
    {
        CloseReason.ExitCommand => "exit_command",
        CloseReason.StopCommand => "stop_command",
        CloseReason.ClosedByClient => "closed_by_client",
        CloseReason.Reset => "reset",
        CloseReason.IdleTimeout => "idle_timeout",
        CloseReason.ServerStopping => "server_stopping",
        CloseReason.ProtocolError => "protocol_error",
        CloseReason.Completed => "completed",
        CloseReason.TlsHandshakeFailed => "tls_handshake_failed",
        CloseReason.Aborted => "aborted",
        CloseReason.Error => "error",
        CloseReason.MessageTimeout => "message_timeout",
        CloseReason.LimitExceeded => "limit_exceeded",
        _ => "unknown",
    };
}
