namespace Parley.Testing;

/// <summary>
/// A test against a real Redis (<see cref="RedisServer"/>): skipped, with the reason, where redis-server is not
/// installed, unless <c>PARLEY_REQUIRE_SERVICES=1</c> (as .ci/run sets, after installing it), when it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.WhyUnavailable is { } reason && Environment.GetEnvironmentVariable(RedisServer.RequireVariable) != "1")
        {
            Skip = reason;
        }
    }
}
