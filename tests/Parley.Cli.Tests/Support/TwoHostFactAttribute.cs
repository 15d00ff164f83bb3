namespace Parley.Cli.Tests.Support;

/// <summary>
/// A test that needs <see cref="TwoHosts"/>: skipped, with the reason, where network namespaces cannot be created
/// (not Linux, not root, no <c>ip</c>), unless <c>PARLEY_REQUIRE_NETNS</c> is set (as in CI), when it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TwoHostFactAttribute : FactAttribute
{
    public TwoHostFactAttribute()
    {
        if (TwoHosts.WhyUnavailable is { } reason)
        {
            Skip = $"two-host test skipped: {reason}";
        }
    }
}
