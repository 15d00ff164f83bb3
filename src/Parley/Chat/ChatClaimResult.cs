namespace Parley.Chat;

/// <summary>
/// A claim's answer and, for a join that was claimed through a relay, the room's last public messages, oldest first
/// (<see langword="null"/>: this server's own history is the room's), each a <see cref="ChatRelayEventKind.Public"/> event,
/// and how many members the room has with the new one (<see langword="null"/>: as many as this server knows of).
/// </summary>
internal sealed record ChatClaimResult(ChatClaim Claim, IReadOnlyList<ChatRelayEvent>? History = null, int? Members = null)
{
    /// <summary>A claim taken with no relay to ask.</summary>
    public static ChatClaimResult Local { get; } = new(ChatClaim.Claimed);
}
