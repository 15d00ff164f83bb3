using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Shared;

namespace Parley.Storage;

/// <summary>
/// The one SQLite database the identification and authentication services share. Write-ahead logging lets readers
/// and a writer work at once; <c>synchronous=FULL</c> makes every committed transaction survive a crash or power cut;
/// a busy timeout waits out other processes (the admin commands) instead of failing; and inside this process writes
/// take turns behind one gate, so concurrent clients never see "database is locked". The schema version is
/// <c>PRAGMA user_version</c>, and <c>PRAGMA application_id</c> marks the file as Parley's.
/// </summary>
public sealed partial class ParleyDatabase : IDisposable
{
    /// <summary>The schema version this Parley writes; older databases are upgraded when opened.</summary>
    public const int SchemaVersion = 3;

    /// <summary>The <c>application_id</c> that marks a Parley database: "Prly" in ASCII.</summary>
    internal const int ApplicationId = 0x50726C79;

    private const int WriteAttempts = 5;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger _logger;
    private readonly Dictionary<string, int> _waitingByClient = new(StringComparer.Ordinal);
    private int _waitingWrites;

    private ParleyDatabase(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Writes that may wait for their turn; past it a write is refused at once with a
    /// <see cref="ParleyDatabaseException"/> whose <see cref="ParleyDatabaseException.IsBusy"/> is set, so that a flood
    /// cannot queue durable writes faster than the disk makes them. One client address may have at most a quarter of
    /// them waiting, so that a flood from one address leaves room for the others. 0 for no limit. Default 0.
    /// </summary>
    public int MaxWaitingWrites { get; set; }

    /// <summary>Writes waiting for their turn now.</summary>
    internal int WaitingWrites => Volatile.Read(ref _waitingWrites);

    /// <summary>
    /// Opens the database at <paramref name="path"/>, creating it (readable by its owner only) when it does not
    /// exist and <paramref name="create"/> allows, and upgrading an older schema.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The file cannot be used; the message says why, in words for a user.</exception>
    public static ParleyDatabase Open(string path, ILogger? logger = null, bool create = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        logger ??= NullLogger.Instance;
        var full = CheckPath(path);
        if (!create && !File.Exists(full))
        {
            throw new ParleyDatabaseException($"there is no database at {full}: give --db with the server's database");
        }

        var created = CreateIfMissing(full);
        if (!created)
        {
            TightenExisting(full, logger);
        }

        var database = new ParleyDatabase(full, logger);
        try
        {
            database.Initialise(created);
        }
        catch (SqliteException e)
        {
            database.Dispose();
            throw Describe(full, e);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        return database;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction (taken at once, <c>BEGIN IMMEDIATE</c>), one writer at a time.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed, after retries for a busy one, or too many writes wait.</exception>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default) =>
        (await WriteIfAsync(static () => true, work, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Like <see cref="WriteAsync{T}"/>, but asks <paramref name="stillWanted"/> once the write's turn has come, and
    /// writes nothing when it says no (the client it was for has gone): <c>Done</c> is then false. A write for a
    /// <paramref name="client"/> address counts against that address's share of <see cref="MaxWaitingWrites"/>.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The database failed, after retries for a busy one, or too many writes wait.</exception>
    internal async Task<(bool Done, T Value)> WriteIfAsync<T>(
        Func<bool> stillWanted, Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default, string? client = null)
    {
        var limit = MaxWaitingWrites;
        var share = Math.Max(1, limit / 4);
        if (Interlocked.Increment(ref _waitingWrites) > limit && limit > 0)
        {
            Interlocked.Decrement(ref _waitingWrites);
            throw Busy($"{limit} writes wait already");
        }

        if (limit > 0 && client is not null && !TryCountClient(client, share))
        {
            Interlocked.Decrement(ref _waitingWrites);
            throw Busy($"{share} writes for {client} wait already");
        }

        try
        {
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingWrites);
            if (limit > 0 && client is not null)
            {
                UncountClient(client);
            }
        }

        try
        {
            if (!stillWanted())
            {
                return (false, default!);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var connection = OpenConnection();
                    using var transaction = connection.BeginTransaction(deferred: false);
                    var result = work(connection, transaction);
                    transaction.Commit();
                    return (true, result);
                }
                catch (SqliteException e) when (IsBusy(e) && attempt < WriteAttempts)
                {
                    StorageLog.Retrying(_logger, Path, e.Message, attempt + 1, WriteAttempts);
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException e)
                {
                    throw Describe(Path, e);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private ParleyDatabaseException Busy(string why) => new($"the database {Path} is busy: {why}") { IsBusy = true };

    private bool TryCountClient(string client, int share)
    {
        lock (_waitingByClient)
        {
            var waiting = _waitingByClient.GetValueOrDefault(client);
            if (waiting >= share)
            {
                return false;
            }

            _waitingByClient[client] = waiting + 1;
            return true;
        }
    }

    private void UncountClient(string client)
    {
        lock (_waitingByClient)
        {
            if (_waitingByClient[client] == 1)
            {
                _waitingByClient.Remove(client);
            }
            else
            {
                _waitingByClient[client]--;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on its own connection; readers never wait for the writer.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed.</exception>
    internal Task<T> ReadAsync<T>(Func<SqliteConnection, T> work)
    {
        try
        {
            using var connection = OpenConnection();
            return Task.FromResult(work(connection));
        }
        catch (SqliteException e)
        {
            return Task.FromException<T>(Describe(Path, e));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeGate.Dispose();
    }

    /// <summary>Milliseconds since the Unix epoch, as times are stored.</summary>
    internal static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A stored time back as a <see cref="DateTimeOffset"/> in UTC.</summary>
    internal static DateTimeOffset FromStored(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
        return connection;
    }

    private void Initialise(bool created)
    {
        using var connection = OpenConnection();
        using (var wal = connection.CreateCommand())
        {
            // Outside any transaction: the journal mode cannot change inside one. It is stored in the file.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteScalar();
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var applicationId = Sql.Scalar(connection, transaction, "PRAGMA application_id;");
        var version = Sql.Scalar(connection, transaction, "PRAGMA user_version;");
        var objects = Sql.Scalar(connection, transaction, "SELECT count(*) FROM sqlite_master;");
        if (applicationId == 0 && version == 0 && objects == 0)
        {
            Sql.Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId};"));
        }
        else if (applicationId != ApplicationId)
        {
            throw new ParleyDatabaseException(
                $"{Path} is not a Parley database: it is an SQLite database of another program; give another --db");
        }
        else if (version > SchemaVersion)
        {
            throw new ParleyDatabaseException(
                $"{Path} was written by a newer version of Parley (schema version {version}; this version knows up to {SchemaVersion}): use that version, or give another --db");
        }

        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            Sql.Execute(connection, transaction, Migrations[next - 1]);
            Sql.Execute(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {next};"));
        }

        transaction.Commit();
        if (created || objects == 0)
        {
            StorageLog.Created(_logger, Path);
        }
        else if (version < SchemaVersion)
        {
            StorageLog.Migrated(_logger, Path, (int)version, SchemaVersion);
        }

        StorageLog.Opened(_logger, Path, SchemaVersion);
    }

    private static string CheckPath(string path)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ParleyDatabaseException($"cannot use the database '{path}': {e.Message}", e);
        }

        if (Directory.Exists(full))
        {
            throw new ParleyDatabaseException($"cannot use the database {full}: it is a directory");
        }

        var directory = System.IO.Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new ParleyDatabaseException($"cannot use the database {full}: the directory {directory} does not exist");
        }

        if (File.Exists(full))
        {
            CheckHeader(full);
        }

        return full;
    }

    private static void CheckHeader(string path)
    {
        var header = new byte[SqliteHeader.Length];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ParleyDatabaseException($"cannot use the database {path}: permission denied", e);
        }
        catch (IOException e)
        {
            throw new ParleyDatabaseException($"cannot use the database {path}: {e.Message}", e);
        }

        // An empty file is an empty database to SQLite; anything else must start with SQLite's header.
        if (read > 0 && (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader)))
        {
            throw new ParleyDatabaseException($"{path} is not a Parley database: it is not an SQLite file; give another --db");
        }
    }

    /// <summary>It holds password hashes: an existing database (and its -wal and -shm files) is kept to its owner.</summary>
    private static void TightenExisting(string path, ILogger logger)
    {
        foreach (var file in (string[])[path, path + "-wal", path + "-shm"])
        {
            try
            {
                PrivateFile.Tighten(file, logger);
            }
            catch (IOException e)
            {
                throw new ParleyDatabaseException($"refusing the database {file}: {e.Message}, or give another --db", e);
            }
        }
    }

    private static bool CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return false;
        }

        try
        {
            // It will hold password hashes: readable by its owner only. SQLite gives its -wal and -shm files the
            // same permissions.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, options);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it a moment ago: use theirs.
            return false;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ParleyDatabaseException($"cannot create the database {path}: permission denied", e);
        }
        catch (IOException e)
        {
            throw new ParleyDatabaseException($"cannot create the database {path}: {e.Message}", e);
        }
    }

    private static ParleyDatabaseException Describe(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        26 => new ParleyDatabaseException($"{path} is not a Parley database: it is not an SQLite file; give another --db", e),
        11 => new ParleyDatabaseException($"the database {path} is damaged ({e.Message})", e),
        8 => new ParleyDatabaseException($"cannot write the database {path}: it is read-only", e),
        14 => new ParleyDatabaseException($"cannot open the database {path}: {e.Message}", e),
        5 or 6 => new ParleyDatabaseException($"the database {path} stayed busy (locked by another process) for too long", e),
        _ => new ParleyDatabaseException($"the database {path} failed: {e.Message}", e),
    };

    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6;
}
