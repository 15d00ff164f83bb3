namespace Parley.Testing;

/// <summary>The tests that share one private PostgreSQL server (<see cref="PostgreSqlServer"/>), each in databases of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}
