using Parley.Shared;

namespace Parley.Storage;

/// <summary>The database cannot be used: not a Parley database, from a newer Parley, damaged, unreachable, or not accessible. The message is fit to show a user.</summary>
public sealed class ParleyDatabaseException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ParleyDatabaseException(string message, Exception? innerException = null)
        : base(message, FailureKind.Storage, "", innerException)
    {
    }

    /// <summary>
    /// Whether the write was refused at once because <see cref="ParleyDatabase.MaxWaitingWrites"/> writes already
    /// wait: the database works, it is only busy (the dialog's <c>busy</c>, not <c>server-error</c>).
    /// </summary>
    public bool IsBusy { get; init; }

    /// <summary>
    /// Whether the database server cannot be reached (stopped, restarting, network down): the request may succeed
    /// later, once it is back (the dialog's <c>unavailable</c>, not <c>server-error</c>).
    /// </summary>
    public bool IsUnavailable { get; init; }
}
