using System.Net.Sockets;
using Parley.Shared;

namespace Parley.Net;

/// <summary>A server could not bind or listen. The message is one line fit to show a user.</summary>
public sealed class ListenException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ListenException(string message, ListenFailure failure, SocketError socketError, Exception? inner = null)
        : base(message, FailureKind.Network, "", inner)
    {
        Failure = failure;
        SocketError = socketError;
    }

    /// <summary>What went wrong, for programs.</summary>
    public ListenFailure Failure { get; }

    /// <summary>The operating system's error for the last attempt.</summary>
    public SocketError SocketError { get; }
}
