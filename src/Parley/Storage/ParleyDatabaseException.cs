namespace Parley.Storage;

/// <summary>The database cannot be used: not a Parley database, from a newer Parley, damaged, or not accessible. The message is fit to show a user.</summary>
public sealed class ParleyDatabaseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParleyDatabaseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParleyDatabaseException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ParleyDatabaseException(string message)
        : base(message)
    {
    }
}
