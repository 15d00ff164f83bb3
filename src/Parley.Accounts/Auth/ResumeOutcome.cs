namespace Parley.Auth;

/// <summary>What became of a <c>resume</c>.</summary>
internal enum ResumeOutcome
{
    /// <summary>The token was valid; it is replaced by a new one.</summary>
    Resumed,

    /// <summary>No session has this token (never issued, revoked, logged out, or already rotated).</summary>
    Unknown,

    /// <summary>The session was unused for longer than the idle timeout.</summary>
    IdleExpired,

    /// <summary>The session is older than its absolute lifetime.</summary>
    LifetimeExpired,
}
