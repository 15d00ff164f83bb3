using System.Data.Common;
using System.Net;
using Parley.Storage;

namespace Parley.Identity;

/// <summary>
/// The identification service's clients in the shared database: per IP address, the name, first and last seen,
/// and the number of visits. Each change is one short transaction, committed before the caller tells the client.
/// </summary>
internal sealed class ClientStore
{
    private readonly ParleyDatabase _database;

    /// <summary>Creates the store over an open database.</summary>
    public ClientStore(ParleyDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Writes that may wait for the database (<see cref="ParleyDatabase.MaxWaitingWrites"/>); 0 for no limit.</summary>
    public int MaxWaitingWrites => _database.MaxWaitingWrites;

    /// <summary>The id of the service the database holds (<see cref="ParleyDatabase.ServiceId"/>), sent in every <c>hello</c>.</summary>
    public string ServiceId => _database.ServiceId;

    /// <summary>The text an address is stored under: an IPv4-mapped IPv6 address counts as the IPv4 address.</summary>
    public static string Key(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>Counts a visit of a known client; <see langword="null"/> when the address is unknown (nothing is written).</summary>
    /// <exception cref="ParleyDatabaseException">The database failed, or is busy (<see cref="ParleyDatabaseException.IsBusy"/>).</exception>
    public async Task<ClientVisit?> VisitAsync(IPAddress address, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await VisitUnlessGoneAsync(address, now, static () => false, cancellationToken).ConfigureAwait(false)).Visit;

    /// <summary>
    /// Counts a visit of a known client, unless <paramref name="gone"/> says, when the write's turn comes, that the
    /// client has left (issue 16: no durable write for a connection that closed before being greeted). An unknown
    /// address is only read, never written. <c>Gone</c> is true when nothing was written because the client left.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The database failed, or is busy (<see cref="ParleyDatabaseException.IsBusy"/>).</exception>
    public async Task<(bool Gone, ClientVisit? Visit)> VisitUnlessGoneAsync(
        IPAddress address, DateTimeOffset now, Func<bool> gone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gone);
        var key = Key(address);
        if (await _database.ReadAsync(connection => Find(connection, null, key)).ConfigureAwait(false) is null)
        {
            return (false, null);
        }

        var (done, visit) = await _database.WriteIfAsync(() => !gone(), (connection, transaction) =>
        {
            var known = Find(connection, transaction, key);
            if (known is null)
            {
                return null;
            }

            Sql.Execute(connection, transaction,
                "UPDATE ident_clients SET visits = visits + 1, last_seen = @now WHERE address = @address",
                ("@now", ParleyDatabase.ToStored(now)), ("@address", key));
            return new ClientVisit(known with { Visits = known.Visits + 1, LastSeen = now }, known.LastSeen);
        }, cancellationToken, key).ConfigureAwait(false);
        return (!done, visit);
    }

    /// <summary>
    /// Stores the name of a new client, durably, as its first visit. When another connection from the same address
    /// named it first, that name stays, this connection counts as a visit, and <c>Stored</c> is false.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The database failed, or is busy (<see cref="ParleyDatabaseException.IsBusy"/>).</exception>
    public async Task<(KnownClient Client, bool Stored)> NameAsync(IPAddress address, string name, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await NameUnlessGoneAsync(address, name, now, static () => false, cancellationToken).ConfigureAwait(false))!.Value;

    /// <summary>
    /// <see cref="NameAsync"/>, unless <paramref name="gone"/> says, when the write's turn comes, that the client has
    /// left: then nothing is written and the result is <see langword="null"/>.
    /// </summary>
    /// <exception cref="ParleyDatabaseException">The database failed, or is busy (<see cref="ParleyDatabaseException.IsBusy"/>).</exception>
    public async Task<(KnownClient Client, bool Stored)?> NameUnlessGoneAsync(
        IPAddress address, string name, DateTimeOffset now, Func<bool> gone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(gone);
        var key = Key(address);
        var (done, result) = await _database.WriteIfAsync(() => !gone(), (connection, transaction) =>
        {
            var stored = ParleyDatabase.ToStored(now);
            var inserted = Sql.Execute(connection, transaction,
                "INSERT INTO ident_clients (address, name, first_seen, last_seen, visits) VALUES (@address, @name, @now, @now, 1) " +
                "ON CONFLICT (address) DO NOTHING",
                ("@address", key), ("@name", name), ("@now", stored));
            if (inserted == 1)
            {
                return (new KnownClient(key, name, now, now, 1), true);
            }

            Sql.Execute(connection, transaction,
                "UPDATE ident_clients SET visits = visits + 1, last_seen = @now WHERE address = @address",
                ("@now", stored), ("@address", key));
            return (Find(connection, transaction, key)!, false);
        }, cancellationToken, key).ConfigureAwait(false);
        return done ? result : null;
    }

    /// <summary>The client stored under <paramref name="address"/>, if any.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed.</exception>
    public Task<KnownClient?> FindAsync(IPAddress address) =>
        _database.ReadAsync(connection => Find(connection, null, Key(address)));

    /// <summary>Every known client, most recently seen first.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed.</exception>
    public Task<IReadOnlyList<KnownClient>> ListAsync() => _database.ReadAsync<IReadOnlyList<KnownClient>>(connection =>
    {
        using var command = Sql.Command(connection, null,
            "SELECT address, name, first_seen, last_seen, visits FROM ident_clients ORDER BY last_seen DESC, address");
        using var reader = command.ExecuteReader();
        var clients = new List<KnownClient>();
        while (reader.Read())
        {
            clients.Add(Read(reader));
        }

        return clients;
    });

    /// <summary>Forgets the client stored under <paramref name="address"/>; false when there was none.</summary>
    /// <exception cref="ParleyDatabaseException">The database failed.</exception>
    public Task<bool> ForgetAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        var key = Key(address);
        return _database.WriteAsync((connection, transaction) =>
            Sql.Execute(connection, transaction, "DELETE FROM ident_clients WHERE address = @address", ("@address", key)) == 1,
            cancellationToken);
    }

    private static KnownClient? Find(DbConnection connection, DbTransaction? transaction, string key)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT address, name, first_seen, last_seen, visits FROM ident_clients WHERE address = @address", ("@address", key));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static KnownClient Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        ParleyDatabase.FromStored(reader.GetInt64(2)),
        ParleyDatabase.FromStored(reader.GetInt64(3)),
        reader.GetInt64(4));
}
