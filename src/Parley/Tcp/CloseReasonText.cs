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
}
