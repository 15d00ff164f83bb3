namespace Parley.Shared;

/// <summary>
/// A failure a user can meet: <see cref="Exception.Message"/> is one line fit to show them, <see cref="Hint"/> what to
/// check, and <see cref="Kind"/> what kind of failure it is. Every such failure of the library derives from this type,
/// so that a program can report them all in one place.
/// </summary>
public class ParleyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParleyException(string message, FailureKind kind = FailureKind.Failed, string hint = "", Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
    }

    /// <summary>What kind of failure this is.</summary>
    public FailureKind Kind { get; }

    /// <summary>What to check, in a few words for a person; empty when the message says it all.</summary>
    public string Hint { get; }
}
