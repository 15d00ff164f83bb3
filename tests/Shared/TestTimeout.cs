namespace Parley.Testing;

/// <summary>
/// Every async test is bounded: a token that cancels after a generous limit. One helper for both test projects
/// (tests/Shared is compiled into each).
/// </summary>
internal static class TestTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static CancellationToken Token(TimeSpan? limit = null) => new CancellationTokenSource(limit ?? Default).Token;
}
