namespace Parley.Bench;

/// <summary>Where a load generator run is.</summary>
public enum BenchPhase
{
    /// <summary>Opening the connections.</summary>
    Connecting,

    /// <summary>Sending load whose figures are not counted.</summary>
    WarmingUp,

    /// <summary>Sending load and counting it.</summary>
    Measuring,

    /// <summary>No new messages: waiting for every echo still owed.</summary>
    Draining,

    /// <summary>Finished.</summary>
    Done,
}
