using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Parley.Storage;

/// <summary>
/// The shared store on a PostgreSQL server: several Parley servers on one database are one service. Every write is
/// one SERIALIZABLE transaction, so each decision (a rotated token, a lockout, a taken name) is made by the database
/// exactly as SQLite's single writer makes it, whichever server asks; a transaction that lost a race with another
/// server's is run again. Connections come from Npgsql's pool with a bounded connect timeout: when the server goes
/// away, requests fail at once as unavailable (<see cref="ParleyDatabaseException.IsUnavailable"/>), the outage is
/// logged once when it starts and once when it ends, and the pool reconnects by itself.
/// </summary>
internal sealed partial class PostgreSqlDatabase : ParleyDatabase
{
    /// <summary>Write transactions one server runs at once; more wait their turn (counted by <see cref="ParleyDatabase.MaxWaitingWrites"/>).</summary>
    private const int ConcurrentWrites = 16;

    /// <summary>Tries of a write that keeps losing races with other servers' writes to the same rows (each backs off longer).</summary>
    private const int WriteAttempts = 50;

    /// <summary>The advisory lock taken around schema creation and upgrade: "Prly", as SQLite's application_id.</summary>
    private const long SchemaLock = ApplicationId;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlUrl _url;
    private readonly ILogger _logger;
    private int _lost;

    private PostgreSqlDatabase(PostgreSqlUrl url, ILogger logger)
        : base(ConcurrentWrites)
    {
        _url = url;
        _logger = logger;
        // The slim builder: only the basic types this store uses, no reflection, so the native build stays small and warning-free.
        var builder = new NpgsqlSlimDataSourceBuilder(url.Settings.ConnectionString);
        _dataSource = builder.Build();
    }

    /// <inheritdoc />
    public override string Path => _url.Display;

    /// <summary>
    /// Connects to the database of <paramref name="url"/>, creating the schema (when <paramref name="create"/> allows)
    /// or upgrading an older one under an advisory lock, so that servers starting side by side do not race.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The server cannot be reached within the connect timeout, refuses the sign-in, or holds a newer schema; the message names the host and port, never the password.</exception>
    public static ParleyDatabase Open(PostgreSqlUrl url, ILogger? logger = null, bool create = true)
    {
        ArgumentNullException.ThrowIfNull(url);
        var database = new PostgreSqlDatabase(url, logger ?? NullLogger.Instance);
        try
        {
            database.Initialise(create);
            return database;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            database.Dispose();
            throw new ParleyDatabaseException($"cannot use the database at {url.Endpoint}: {Describe(e)}", e) { IsUnavailable = IsOutage(e) };
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    internal override async Task<T> ReadAsync<T>(Func<DbConnection, T> work)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            var result = work(connection);
            Reached();
            return result;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw Failed(e);
        }
    }

    /// <inheritdoc />
    private protected override async Task<T> RunWriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
                var result = work(connection, transaction);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Reached();
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < WriteAttempts)
            {
                // Another server's transaction touched the same rows first: run this one again on what it committed.
                PostgreSqlLog.Conflict(_logger, Path, e.SqlState, attempt + 1, WriteAttempts);
                // A random back-off, growing to 100 ms, so that the same writers do not collide again at once.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(100, 1 << Math.Min(attempt, 7)))), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                throw Failed(e);
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dataSource.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Initialise(bool create)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Sql.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@lock)", ("@lock", SchemaLock));
        var exists = Sql.Scalar(connection, transaction, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'parley_schema'") == 1;
        if (!exists && !create)
        {
            throw new ParleyDatabaseException($"there is no Parley database at {Path}: give --db with the servers' database");
        }

        long version = 0;
        if (exists)
        {
            version = Sql.Scalar(connection, transaction, "SELECT version FROM parley_schema");
        }
        else
        {
            Sql.Execute(connection, transaction, "CREATE TABLE parley_schema (version INTEGER NOT NULL); INSERT INTO parley_schema (version) VALUES (0)");
        }

        if (version > SchemaVersion)
        {
            throw new ParleyDatabaseException(
                $"{Path} was written by a newer version of Parley (schema version {version}; this version knows up to {SchemaVersion}): use that version, or give another --db");
        }

        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            Sql.Execute(connection, transaction, Migrations[next - 1]);
        }

        Sql.Execute(connection, transaction, "UPDATE parley_schema SET version = @version", ("@version", SchemaVersion));
        ServiceId = Sql.EnsureServiceId(connection, transaction, NewServiceId());
        transaction.Commit();
        if (version == 0)
        {
            StorageLog.Created(_logger, Path);
        }
        else if (version < SchemaVersion)
        {
            StorageLog.Migrated(_logger, Path, (int)version, SchemaVersion);
        }

        StorageLog.Opened(_logger, Path, SchemaVersion);
    }

    private ParleyDatabaseException Failed(Exception e)
    {
        if (!IsOutage(e))
        {
            return new ParleyDatabaseException($"the database {Path} failed: {Describe(e)}", e);
        }

        // Once when the outage starts, however many clients meet it.
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            PostgreSqlLog.Lost(_logger, Path, Describe(e));
        }

        return new ParleyDatabaseException($"cannot reach the database at {_url.Endpoint}: {Describe(e)}", e) { IsUnavailable = true };
    }

    private void Reached()
    {
        if (Volatile.Read(ref _lost) == 1 && Interlocked.Exchange(ref _lost, 0) == 1)
        {
            PostgreSqlLog.Back(_logger, Path);
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> means the server cannot be reached now (refused, reset, timed out, shutting down or
    /// starting up), rather than that it refused this request.
    /// </summary>
    private static bool IsOutage(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)
            || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        _ => true,
    };

    /// <summary>What went wrong, in words: the innermost socket error when there is one (never a password: Npgsql's messages hold none).</summary>
    private static string Describe(Exception e)
    {
        if (e is PostgresException p)
        {
            return p.MessageText;
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }

            if (inner is TimeoutException)
            {
                return string.Create(CultureInfo.InvariantCulture, $"no answer within the connect timeout");
            }
        }

        return e.Message;
    }
}
