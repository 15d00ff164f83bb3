using Parley.Tcp;

namespace Parley.Echo;

/// <summary>How an echo session ended, and how much of what was sent came back.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Sent">Bytes (messages, in framed mode) sent that the server owes back; commands are not counted.</param>
/// <param name="Returned">Bytes (messages) that came back.</param>
/// <param name="Unit">"bytes" or "messages".</param>
public sealed record EchoClientResult(EchoClientOutcome Outcome, long Sent, long Returned, string Unit)
{
    /// <summary>Whether the session ended as the user asked, with nothing missing.</summary>
    public bool Succeeded => Outcome is EchoClientOutcome.Exited or EchoClientOutcome.Stopped or EchoClientOutcome.InputEnded;

    /// <summary>The ending in words, for the user.</summary>
    public string Describe() => Outcome switch
    {
        EchoClientOutcome.Exited => "exit sent, the server closed the connection",
        EchoClientOutcome.Stopped => "stop sent, the server closed the connection",
        EchoClientOutcome.StopRefused => StopCommand.RefusedText,
        EchoClientOutcome.InputEnded => "end of input, every echo received",
        EchoClientOutcome.Incomplete when Returned == 0 =>
            $"the server closed the connection without echoing anything of {Sent} {Unit} sent (is it a TLS server? then add --tls)",
        EchoClientOutcome.Incomplete => $"the server closed the connection after echoing {Returned} of {Sent} {Unit} sent",
        EchoClientOutcome.ServerClosed => "the server closed the connection",
        // A TLS server that a plain client reaches closes at once, with a reset when the client's bytes came after it
        // had looked: the same hint as a close.
        EchoClientOutcome.ConnectionLost when Returned == 0 && Sent > 0 =>
            $"the connection was lost (reset or broken) without echoing anything of {Sent} {Unit} sent (is it a TLS server? then add --tls)",
        _ => "the connection was lost (reset or broken)",
    };
}
