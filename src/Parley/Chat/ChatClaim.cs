namespace Parley.Chat;

/// <summary>The answer of a relay to a nickname claim (<see cref="IChatRelay.ClaimAsync"/>).</summary>
internal enum ChatClaim
{
    /// <summary>The nickname is the member's, in the whole room.</summary>
    Claimed,

    /// <summary>A member of another server holds a nickname that looks the same.</summary>
    Taken,

    /// <summary>The relay cannot be reached: the claim is refused, so that a nickname is never taken twice.</summary>
    Unavailable,
}
