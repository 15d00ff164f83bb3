using System.Data.Common;
using Microsoft.Extensions.Logging;
using Parley.Hosting;

namespace Parley.Storage;

/// <summary>
/// The store the identification and authentication services share: an SQLite file (<see cref="Open"/>) or a
/// PostgreSQL database (Parley.Accounts.PostgreSql), with the same versioned schema. Every change is one transaction
/// whose decision is made inside the database, so several servers on one PostgreSQL database are one service. Each
/// engine runs the work; this class counts the writes that wait, so that a flood gets <c>busy</c> at once.
/// </summary>
public abstract class ParleyDatabase : IDisposable
{
    /// <summary>The schema version this Parley writes; older databases are upgraded when opened.</summary>
    public const int SchemaVersion = 4;

    /// <summary>The <c>application_id</c> that marks a Parley SQLite database: "Prly" in ASCII.</summary>
    internal const int ApplicationId = 0x50726C79;

    private readonly SemaphoreSlim _writeGate;
    private readonly Dictionary<string, int> _waitingByClient = new(StringComparer.Ordinal);
    private int _waitingWrites;

    /// <summary>Creates the base of an engine that runs at most <paramref name="concurrentWrites"/> write transactions at once.</summary>
    private protected ParleyDatabase(int concurrentWrites) => _writeGate = new SemaphoreSlim(concurrentWrites, concurrentWrites);

    /// <summary>Where the database is, fit to show a user: a file's full path, or a server's host:port/database (never a password).</summary>
    public abstract string Path { get; }

    /// <summary>The id of the service this database holds, made when the schema was created: every server on it presents this id.</summary>
    public string ServiceId { get; private protected set; } = "";

    /// <summary>
    /// Writes that may wait for their turn; past it a write is refused at once with a
    /// <see cref="ParleyDatabaseException"/> whose <see cref="ParleyDatabaseException.IsBusy"/> is set, so that a flood
    /// cannot queue durable writes faster than the database makes them. One client address may have at most a quarter
    /// of them waiting, so that a flood from one address leaves room for the others. 0 for no limit. Default 0.
    /// </summary>
    public int MaxWaitingWrites { get; set; }

    /// <summary>Writes waiting for their turn now.</summary>
    internal int WaitingWrites => Volatile.Read(ref _waitingWrites);

    /// <summary>
    /// Opens the SQLite database at <paramref name="path"/>, creating it (readable by its owner only) when it does not
    /// exist and <paramref name="create"/> allows, and upgrading an older schema.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The file cannot be used; the message says why, in words for a user.</exception>
    public static ParleyDatabase Open(string path, ILogger? logger = null, bool create = true) => SqliteDatabase.Open(path, logger, create);

    /// <summary>Runs <paramref name="work"/> in one write transaction.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed, is unreachable, or too many writes wait.</exception>
    internal async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken = default) =>
        (await WriteIfAsync(static () => true, work, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// Like <see cref="WriteAsync{T}"/>, but asks <paramref name="stillWanted"/> once the write's turn has come, and
    /// writes nothing when it says no (the client it was for has gone): <c>Done</c> is then false. A write for a
    /// <paramref name="client"/> address counts against that address's share of <see cref="MaxWaitingWrites"/>.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The database failed, is unreachable, or too many writes wait.</exception>
    internal async Task<(bool Done, T Value)> WriteIfAsync<T>(
        Func<bool> stillWanted, Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken = default, string? client = null)
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

            return (true, await RunWriteAsync(work, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The check behind a server's <c>/healthz</c> (issue 20): a cheap query on a connection of its own, so a database
    /// that stopped answering shows at once, not only when a client next needs it.
    /// </summary>
    internal async ValueTask<HealthStatus> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                return command.ExecuteScalar();
            }).WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthStatus.Healthy;
        }
        catch (ParleyDatabaseException e)
        {
            return HealthStatus.Unhealthy(e.IsUnavailable ? $"the server cannot reach its database ({Path})" : e.Message);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection of its own, outside any write transaction.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed or is unreachable.</exception>
    internal abstract Task<T> ReadAsync<T>(Func<DbConnection, T> work);

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it, retrying what the engine says may be retried.</summary>
    private protected abstract Task<T> RunWriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken);

    /// <summary>Milliseconds since the Unix epoch, as times are stored.</summary>
    internal static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A stored time back as a <see cref="DateTimeOffset"/> in UTC.</summary>
    internal static DateTimeOffset FromStored(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>A new service id: 128 random bits, as 32 hex digits.</summary>
    private protected static string NewServiceId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the engine's connections.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writeGate.Dispose();
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
}
