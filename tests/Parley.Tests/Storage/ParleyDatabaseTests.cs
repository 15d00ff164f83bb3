using System.Net;
using Microsoft.Data.Sqlite;
using Parley.Identity;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Storage;

public sealed class ParleyDatabaseTests : IDisposable
{
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    private long Pragma(string name)
    {
        using var connection = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar() is string s ? s.Length : Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string PragmaText(string path, string name)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public void A_new_database_is_created_for_its_owner_only_with_the_schema_version_in_WAL_mode()
    {
        using var database = _file.Open();

        Assert.Equal(_file.Path, database.Path);
        Assert.Equal(ParleyDatabase.SchemaVersion, Pragma("user_version"));
        Assert.Equal(ParleyDatabase.ApplicationId, Pragma("application_id"));
        Assert.Equal("wal", PragmaText(_file.Path, "journal_mode"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file.Path));
        }
    }

    [Fact]
    public async Task Opening_again_keeps_what_was_stored()
    {
        using (var database = _file.Open())
        {
            await new ClientStore(database).NameAsync(IPAddress.Loopback, "Alice", DateTimeOffset.UnixEpoch);
        }

        using var again = _file.Open();

        Assert.Equal("Alice", (await new ClientStore(again).FindAsync(IPAddress.Loopback))!.Name);
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_and_keeps_its_clients()
    {
        using (var old = new SqliteConnection($"Data Source={_file.Path};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText =
                "CREATE TABLE ident_clients (address TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, first_seen INTEGER NOT NULL, " +
                "last_seen INTEGER NOT NULL, visits INTEGER NOT NULL CHECK (visits >= 1));" +
                "INSERT INTO ident_clients VALUES ('127.0.0.7', 'Walter', 0, 0, 3);" +
                $"PRAGMA application_id = {ParleyDatabase.ApplicationId}; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        using var database = _file.Open();

        Assert.Equal(ParleyDatabase.SchemaVersion, Pragma("user_version"));
        Assert.Equal(3, (await new ClientStore(database).FindAsync(IPAddress.Parse("127.0.0.7")))!.Visits);
        Assert.Empty(await new Parley.Auth.AuthStore(database).ListUsersAsync(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_file_that_is_not_SQLite_is_refused_with_a_clear_error()
    {
        File.WriteAllText(_file.Path, "these are my notes, not a database\n");

        var error = Assert.Throws<ParleyDatabaseException>(() => _file.Open());

        Assert.Equal($"{_file.Path} is not a Parley database: it is not an SQLite file; give another --db", error.Message);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(_file.Path));
    }

    [Fact]
    public void A_short_file_is_refused_too()
    {
        File.WriteAllBytes(_file.Path, [1, 2, 3]);

        Assert.Contains("not an SQLite file", Assert.Throws<ParleyDatabaseException>(() => _file.Open()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_SQLite_database_of_another_program_is_refused_and_left_alone()
    {
        using (var other = new SqliteConnection($"Data Source={_file.Path};Pooling=False"))
        {
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = "CREATE TABLE recipes (name TEXT);";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<ParleyDatabaseException>(() => _file.Open());

        Assert.Contains("is not a Parley database: it is an SQLite database of another program", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Pragma("user_version"));
    }

    [Fact]
    public void A_database_from_a_newer_Parley_is_refused()
    {
        using (_file.Open())
        {
        }

        using (var newer = new SqliteConnection($"Data Source={_file.Path};Pooling=False"))
        {
            newer.Open();
            using var command = newer.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {ParleyDatabase.SchemaVersion + 1};";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<ParleyDatabaseException>(() => _file.Open());

        Assert.Contains($"was written by a newer version of Parley (schema version {ParleyDatabase.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_or_a_directory_is_a_clear_error()
    {
        var missing = Path.Combine(_file.Folder, "no", "such", "parley.db");

        Assert.Contains("does not exist", Assert.Throws<ParleyDatabaseException>(() => ParleyDatabase.Open(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("it is a directory", Assert.Throws<ParleyDatabaseException>(() => ParleyDatabase.Open(_file.Folder)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_create_a_missing_database_is_an_error_and_is_not_created()
    {
        var error = Assert.Throws<ParleyDatabaseException>(() => ParleyDatabase.Open(_file.Path, create: false));

        Assert.Contains("there is no database at", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_file.Path));
    }

    [Fact]
    public async Task Two_openers_of_one_file_writing_at_once_lose_no_update()
    {
        // Two ParleyDatabase objects stand for two processes (a server and an admin command): each has its own
        // write gate, so they meet at SQLite's lock, which the busy timeout waits out.
        using var one = _file.Open();
        using var two = _file.Open();
        var address = IPAddress.Parse("127.0.0.9");
        await new ClientStore(one).NameAsync(address, "Peggy", DateTimeOffset.UnixEpoch);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => new ClientStore(i % 2 == 0 ? one : two).VisitAsync(address, DateTimeOffset.UnixEpoch.AddSeconds(i)))));

        Assert.Equal(51, (await new ClientStore(one).FindAsync(address))!.Visits);
    }
}
