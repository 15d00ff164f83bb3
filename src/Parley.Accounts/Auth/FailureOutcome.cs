namespace Parley.Auth;

/// <summary>What recording a failed sign-in decided (<see cref="AuthStore.RecordFailureAsync"/>).</summary>
/// <param name="RetryAfter">Seconds to wait, when the failure is answered <c>throttled</c> instead of <c>login-failed</c>; 0 otherwise.</param>
/// <param name="Delay">How long to hold the <c>login-failed</c> answer back: the account's slowdown.</param>
/// <param name="Locks">The new states of the locking keys (the pair and the address); empty when nothing was recorded.</param>
internal sealed record FailureOutcome(int RetryAfter, TimeSpan Delay, IReadOnlyList<(string Key, ThrottleState State)> Locks)
{
    /// <summary>The account's failures in the current run, counting this one; 0 when they were not counted.</summary>
    public int AccountFailures { get; init; }
}
