namespace Parley.Tests.Support;

/// <summary>
/// Tests that count what the process-wide <c>Parley</c> meter measured: they run alone, after the others, so no other
/// test's sign-ins or connections are counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterCollection
{
    public const string Name = "Parley meter";
}
