using Parley.Storage;

namespace Parley.Tests.Support;

/// <summary>A database file in a fresh temporary folder, removed at the end.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("parley-db-").FullName;
        Path = System.IO.Path.Combine(Folder, "parley.db");
    }

    public string Folder { get; }

    public string Path { get; }

    public ParleyDatabase Open() => ParleyDatabase.Open(Path);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder left behind harms nobody.
        }
    }
}
