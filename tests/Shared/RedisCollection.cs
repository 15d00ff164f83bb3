namespace Parley.Testing;

/// <summary>The tests that share one private <see cref="RedisServer"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}
