namespace Parley.Hosting;

/// <summary>What a health check found: healthy, or not with a one-line reason fit to show an operator.</summary>
public readonly record struct HealthStatus
{
    private HealthStatus(bool isHealthy, string reason) => (IsHealthy, Reason) = (isHealthy, reason);

    /// <summary>Ready for work.</summary>
    public static HealthStatus Healthy { get; } = new(true, "");

    /// <summary>Whether the server can take work.</summary>
    public bool IsHealthy { get; }

    /// <summary>Why not, in one line; empty when healthy.</summary>
    public string Reason { get; }

    /// <summary>Not ready for work, for the reason given (one line, no secrets: it is served without authentication).</summary>
    public static HealthStatus Unhealthy(string reason) => new(false, reason);
}
