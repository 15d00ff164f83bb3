namespace Parley.Auth;

/// <summary>Failed sign-ins counted against one account or one client address.</summary>
/// <param name="Failures">Failures in the current run.</param>
/// <param name="LastFailure">When the last one happened.</param>
/// <param name="LockedUntil">Sign-ins are refused until then.</param>
internal sealed record ThrottleState(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
