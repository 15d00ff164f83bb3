namespace Parley.Cli.Tests.Support;

/// <summary>
/// A test that needs socat (<see cref="SocatUdpEcho"/>): skipped, with the reason, where it is not installed, unless
/// <c>PARLEY_REQUIRE_SOCAT</c> is set (as in CI), when it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SocatFactAttribute : FactAttribute
{
    public SocatFactAttribute()
    {
        if (SocatUdpEcho.WhyUnavailable is { } reason)
        {
            Skip = $"socat test skipped: {reason}";
        }
    }
}
