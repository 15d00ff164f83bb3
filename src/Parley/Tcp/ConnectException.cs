using Parley.Shared;

namespace Parley.Tcp;

/// <summary>A client could not connect. <see cref="Exception.Message"/> is one line naming the host and port.</summary>
public sealed class ConnectException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ConnectException(string message, ConnectFailure failure, string hint, Exception? inner = null)
        : base(message, FailureKind.Network, hint, inner)
    {
        Failure = failure;
    }

    /// <summary>What went wrong, for programs.</summary>
    public ConnectFailure Failure { get; }
}
