namespace Parley.Tcp;

/// <summary>A client could not connect. <see cref="Exception.Message"/> is one line naming the host and port.</summary>
public sealed class ConnectException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ConnectException(string message, ConnectFailure failure, string hint, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Hint = hint;
    }

    /// <summary>What went wrong, for programs.</summary>
    public ConnectFailure Failure { get; }

    /// <summary>What to check, in a few words for a person.</summary>
    public string Hint { get; }
}
