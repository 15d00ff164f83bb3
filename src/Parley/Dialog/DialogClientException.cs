using Parley.Shared;

namespace Parley.Dialog;

/// <summary>The server is not the dialog server expected, or broke the protocol. The message is fit to show a user.</summary>
public sealed class DialogClientException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public DialogClientException(string message, Exception? innerException = null)
        : base(message, FailureKind.Protocol, "", innerException)
    {
    }
}
