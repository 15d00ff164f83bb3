namespace Parley.Shared;

/// <summary>
/// Writing what came back to the caller's output failed (a closed pipe, a full disk): the caller's problem, not the
/// connection's. Deliberately not an <see cref="IOException"/>, so that it is never taken for a lost connection.
/// </summary>
public sealed class OutputException(Exception inner) : ParleyException($"cannot write the output: {inner.Message}", FailureKind.Output, "", inner);
