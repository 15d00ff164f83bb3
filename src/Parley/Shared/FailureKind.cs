namespace Parley.Shared;

/// <summary>
/// What kind of failure a <see cref="ParleyException"/> reports, so that a program can decide what to do (the
/// <c>parley</c> tool maps it to its exit code) without knowing every exception type.
/// </summary>
public enum FailureKind
{
    /// <summary>The job failed, for no reason more specific than its message says.</summary>
    Failed,

    /// <summary>The network did not serve: no port to listen on, a host that does not answer or resolve, a lost connection.</summary>
    Network,

    /// <summary>The other side, or a check of it, said no: a certificate not trusted, a nickname taken, a limit reached.</summary>
    Refused,

    /// <summary>The peer broke the protocol, or is not the kind of server expected.</summary>
    Protocol,

    /// <summary>A file or database this side needs cannot be used.</summary>
    Storage,

    /// <summary>What came back could not be written to the caller's output (a closed pipe, a full disk).</summary>
    Output,

    /// <summary>What the caller asked for is wrong: a bad argument or input value.</summary>
    Usage,

    /// <summary>The user interrupted the job.</summary>
    Interrupted,
}
