namespace Parley.Tests.Support;

/// <summary>Every async test is bounded: a token that cancels after a generous limit.</summary>
internal static class TestTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static CancellationToken Token(TimeSpan? limit = null) => new CancellationTokenSource(limit ?? Default).Token;
}
