using System.Diagnostics.Metrics;

namespace Parley.Shared;

/// <summary>
/// The one <see cref="Meter"/> every Parley instrument belongs to. Listen to it by name (<see cref="Name"/>) with
/// OpenTelemetry's <c>AddMeter</c>, prometheus-net's meter adapter, a <see cref="MeterListener"/> or
/// <c>dotnet-counters monitor --counters Parley</c>. An instrument nobody listens to costs one field read.
/// </summary>
public static class ParleyMeter
{
    /// <summary>The meter's name: <c>Parley</c>.</summary>
    public const string Name = "Parley";

    internal static Meter Instance { get; } = new(Name, ParleyVersion.Current);

    /// <summary>
    /// Bucket boundaries, in seconds, for durations from a millisecond to an hour: those of ASP.NET Core's
    /// <c>kestrel.connection.duration</c>, stretched to the long-lived connections of a chat or echo client.
    /// </summary>
    internal static readonly IReadOnlyList<double> DurationBuckets =
        [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
}
