using System.Data.Common;
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
internal sealed partial class SqliteDatabase : ParleyDatabase
{
    private const int WriteAttempts = 5;
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly string _connectionString;
    private readonly ILogger _logger;

    // Inside this process writes take turns: SQLite has one writer at a time anyway.
    private SqliteDatabase(string path, ILogger logger)
        : base(concurrentWrites: 1)
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
    public override string Path { get; }

    /// <summary>
    /// Opens the SQLite database at <paramref name="path"/>, creating it (readable by its owner only) when it does not
    /// exist and <paramref name="create"/> allows, and upgrading an older schema.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The file cannot be used; the message says why, in words for a user.</exception>
    public static new SqliteDatabase Open(string path, ILogger? logger = null, bool create = true)
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

        var database = new SqliteDatabase(full, logger);
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

    /// <inheritdoc />
    private protected override async Task<T> RunWriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(connection, transaction);
                transaction.Commit();
                return result;
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

    /// <inheritdoc />
    /// <remarks>Readers never wait for the writer (write-ahead logging).</remarks>
    internal override Task<T> ReadAsync<T>(Func<DbConnection, T> work)
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
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        base.Dispose(disposing);
    }

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

        ServiceId = Sql.EnsureServiceId(connection, transaction, NewServiceId());
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
