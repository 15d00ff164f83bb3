namespace Parley.Tests.Support;

/// <summary>
/// Tests that count the streams registered in the process-wide epoll loops (<c>EpollEngine</c>): they run alone, after
/// the others, so no other test's connections come and go in the loop they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EpollEngineCollection
{
    public const string Name = "Epoll engine's loops";
}
