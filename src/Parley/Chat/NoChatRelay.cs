namespace Parley.Chat;

/// <summary>The chat with no relay (<see cref="IChatRelay.None"/>): one server is the whole room.</summary>
internal sealed class NoChatRelay : IChatRelay
{
    private static readonly Task<ChatClaimResult> Claimed = Task.FromResult(ChatClaimResult.Local);

    public ChatRelayStatus Status => ChatRelayStatus.None;

    public void Attach(IChatRelayListener listener)
    {
    }

    public Task<ChatClaimResult> ClaimAsync(string nickname, string? previous) => Claimed;

    public void Release(string nickname, bool timedOut)
    {
    }

    public bool Publish(string nickname, string text) => true;

    public bool SendPrivate(string from, string to, string text) => true;
}
