using Parley.Storage;

namespace Parley.Tests.Support;

/// <summary>A database file in a fresh temporary folder, removed at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly TempFolder _folder = new("parley-db-");

    public TempDatabase()
    {
        Path = _folder.Combine("parley.db");
    }

    public string Folder => _folder.FullName;

    public string Path { get; }

    public ParleyDatabase Open() => ParleyDatabase.Open(Path);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
