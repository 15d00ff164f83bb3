namespace Parley.Testing;

/// <summary>
/// A test that needs a private PostgreSQL server: skipped, with the reason, where Debian's postgresql is not installed,
/// unless <c>PARLEY_REQUIRE_SERVICES=1</c> (as in CI), when it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.WhyUnavailable is { } reason && !PostgreSqlServer.Required)
        {
            Skip = $"PostgreSQL test skipped: {reason}";
        }
    }
}
