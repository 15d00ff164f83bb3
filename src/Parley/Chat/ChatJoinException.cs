using Parley.Shared;

namespace Parley.Chat;

/// <summary>A chat client could not join. <see cref="Exception.Message"/> is one line naming the server.</summary>
public sealed class ChatJoinException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ChatJoinException(string message, ChatJoinFailure failure, string reason, Exception? inner = null)
        : base(message, failure is ChatJoinFailure.Refused or ChatJoinFailure.TooFast ? FailureKind.Refused : FailureKind.Network,
            ChatClient.Hint(failure), inner)
    {
        Failure = failure;
        Reason = reason;
    }

    /// <summary>What went wrong, for programs.</summary>
    public ChatJoinFailure Failure { get; }

    /// <summary>The reason alone: the server's words for <see cref="ChatJoinFailure.Refused"/>, otherwise a few words.</summary>
    public string Reason { get; }
}
