using System.Data.Common;
using System.Net;
using Parley.Storage;

namespace Parley.Auth;

/// <summary>
/// The authentication service's tables in the shared database: accounts (Argon2id hashes only), sessions (SHA-256
/// of each token only), failed-sign-in counters, and the user last signed in from each address. Every change is one
/// short transaction.
/// </summary>
internal sealed class AuthStore
{
    private static readonly TimeSpan RegistrationWindow = TimeSpan.FromHours(1);
    private readonly ParleyDatabase _database;

    /// <summary>Creates the store over an open database.</summary>
    public AuthStore(ParleyDatabase database, ThrottlePolicy? throttle = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        Throttle = throttle ?? new ThrottlePolicy();
    }

    /// <summary>The id of the service the database holds (<see cref="ParleyDatabase.ServiceId"/>), sent in every <c>hello</c>.</summary>
    public string ServiceId => _database.ServiceId;

    /// <summary>When failed sign-ins lock a key out or slow an account down.</summary>
    public ThrottlePolicy Throttle { get; }

    /// <summary>The throttling key of an account (never locked: slowed down).</summary>
    public static string AccountKey(string userName) => "user:" + UserNameRules.Key(userName);

    /// <summary>The throttling key of a client address.</summary>
    public static string AddressKey(IPAddress address) => "address:" + Identity.ClientStore.Key(address);

    /// <summary>The throttling key of an account tried from one client address (user names hold no space).</summary>
    public static string PairKey(string userName, IPAddress address) => $"pair:{UserNameRules.Key(userName)} {Identity.ClientStore.Key(address)}";

    /// <summary>The keys whose lockout refuses a sign-in as <paramref name="userName"/> from <paramref name="address"/>: the pair and the address.</summary>
    public static string[] LockKeys(string userName, IPAddress address) => [PairKey(userName, address), AddressKey(address)];

    /// <summary>The account named <paramref name="name"/> (any case), if there is one.</summary>
    public Task<UserRecord?> FindUserAsync(string name) => _database.ReadAsync(connection => FindUser(connection, null, name));

    /// <summary>Makes an account; <see langword="false"/> when the name (in any case) is taken.</summary>
    public Task<bool> CreateUserAsync(string name, string passwordHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) => Sql.Execute(connection, transaction,
            "INSERT INTO auth_users (name_key, name, password_hash, created) VALUES (@key, @name, @hash, @now) ON CONFLICT (name_key) DO NOTHING",
            ("@key", UserNameRules.Key(name)), ("@name", name.Trim()), ("@hash", passwordHash), ("@now", ParleyDatabase.ToStored(now))) == 1,
            cancellationToken);

    /// <summary>
    /// Makes an account registered from <paramref name="address"/>, unless that address registered
    /// <paramref name="perHour"/> accounts in the hour before (0: no limit). Counting and recording are one
    /// transaction, so registrations side by side cannot pass the limit. <c>RetryAfter</c> is the seconds to wait when
    /// the limit refused it; <c>Created</c> is false with <c>RetryAfter</c> 0 when the name (in any case) is taken.
    /// </summary>
    public Task<(bool Created, int RetryAfter)> RegisterAsync(
        string name, string passwordHash, IPAddress address, int perHour, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) =>
        {
            var key = Identity.ClientStore.Key(address);
            var wait = RegistrationRetryAfter(connection, transaction, key, perHour, now);
            if (wait > 0)
            {
                return (false, wait);
            }

            if (Sql.Execute(connection, transaction,
                "INSERT INTO auth_users (name_key, name, password_hash, created) VALUES (@key, @name, @hash, @now) ON CONFLICT (name_key) DO NOTHING",
                ("@key", UserNameRules.Key(name)), ("@name", name.Trim()), ("@hash", passwordHash), ("@now", ParleyDatabase.ToStored(now))) == 0)
            {
                return (false, 0);
            }

            Sql.Execute(connection, transaction, "INSERT INTO auth_registrations (address, at) VALUES (@address, @now)",
                ("@address", key), ("@now", ParleyDatabase.ToStored(now)));
            return (true, 0);
        }, cancellationToken);

    /// <summary>Seconds until <paramref name="address"/> may register an account under <paramref name="perHour"/>; 0 when it may now.</summary>
    public Task<int> RegistrationRetryAfterAsync(IPAddress address, int perHour, DateTimeOffset now) =>
        _database.ReadAsync(connection => RegistrationRetryAfter(connection, null, Identity.ClientStore.Key(address), perHour, now));

    /// <summary>
    /// Replaces an account's password hash. With <paramref name="endSessions"/>, every session of the account ends
    /// too. Null when there is no such account; otherwise the number of sessions ended.
    /// </summary>
    public Task<int?> SetPasswordAsync(string name, string passwordHash, bool endSessions, CancellationToken cancellationToken = default) =>
        _database.WriteAsync<int?>((connection, transaction) =>
        {
            var key = UserNameRules.Key(name);
            if (Sql.Execute(connection, transaction, "UPDATE auth_users SET password_hash = @hash WHERE name_key = @key",
                ("@hash", passwordHash), ("@key", key)) == 0)
            {
                return null;
            }

            return endSessions ? Sql.Execute(connection, transaction, "DELETE FROM auth_sessions WHERE user_key = @key", ("@key", key)) : 0;
        }, cancellationToken);

    /// <summary>Removes an account and its sessions; <see langword="false"/> when there is none.</summary>
    public Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) => Sql.Execute(connection, transaction,
            "DELETE FROM auth_users WHERE name_key = @key", ("@key", UserNameRules.Key(name))) == 1, cancellationToken);

    /// <summary>Ends every session of an account: null when there is no such account, otherwise how many ended.</summary>
    public Task<int?> RevokeAsync(string name, CancellationToken cancellationToken = default) =>
        _database.WriteAsync<int?>((connection, transaction) =>
        {
            var key = UserNameRules.Key(name);
            if (FindUser(connection, transaction, name) is null)
            {
                return null;
            }

            return Sql.Execute(connection, transaction, "DELETE FROM auth_sessions WHERE user_key = @key", ("@key", key));
        }, cancellationToken);

    /// <summary>Every account with its count of sessions not yet expired at <paramref name="now"/>, by name.</summary>
    public Task<IReadOnlyList<UserSummary>> ListUsersAsync(DateTimeOffset now) => _database.ReadAsync<IReadOnlyList<UserSummary>>(connection =>
    {
        using var command = Sql.Command(connection, null,
            "SELECT u.name, u.created, u.last_sign_in, " +
            "CAST((SELECT count(*) FROM auth_sessions s WHERE s.user_key = u.name_key AND s.expires > @now AND s.last_used + s.idle_ms > @now) AS INTEGER) " +
            "FROM auth_users u ORDER BY u.name_key", ("@now", ParleyDatabase.ToStored(now)));
        using var reader = command.ExecuteReader();
        var users = new List<UserSummary>();
        while (reader.Read())
        {
            users.Add(new UserSummary(
                reader.GetString(0),
                ParleyDatabase.FromStored(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : ParleyDatabase.FromStored(reader.GetInt64(2)),
                reader.GetInt32(3)));
        }

        return users;
    });

    /// <summary>The name of the user who last signed in from <paramref name="address"/>, if the account still exists.</summary>
    public Task<string?> LastUserAsync(IPAddress address) => _database.ReadAsync(connection =>
    {
        using var command = Sql.Command(connection, null,
            "SELECT u.name FROM auth_last_user l JOIN auth_users u ON u.name_key = l.user_key WHERE l.address = @address",
            ("@address", Identity.ClientStore.Key(address)));
        return command.ExecuteScalar() as string;
    });

    /// <summary>
    /// Records a password sign-in: a new session under <paramref name="tokenHash"/>, the failure counts of the account
    /// and of the account from this address cleared, its last sign-in and this address's last user set. When any of <paramref name="throttleKeys"/> is
    /// locked out by then (failures recorded while this password was being checked), nothing is recorded and the
    /// result is the seconds to wait and no grant: the decision and the record are one transaction, so checks running
    /// side by side cannot slip past a lockout.
    /// </summary>
    public Task<(int RetryAfter, SessionGrant? Grant)> SignInAsync(
        string name, IPAddress address, byte[] tokenHash, SessionLimits limits, DateTimeOffset now,
        IReadOnlyList<string> throttleKeys, CancellationToken cancellationToken = default) =>
        _database.WriteAsync<(int, SessionGrant?)>((connection, transaction) =>
        {
            var wait = RetryAfter(connection, transaction, throttleKeys, now);
            if (wait > 0)
            {
                return (wait, null);
            }

            var key = UserNameRules.Key(name);
            var user = FindUser(connection, transaction, name) ?? throw new ParleyDatabaseException($"the account {name} disappeared");
            Sql.Execute(connection, transaction, "DELETE FROM auth_throttle WHERE key IN (@account, @pair)",
                ("@account", AccountKey(name)), ("@pair", PairKey(name, address)));
            var expires = now + limits.Lifetime;
            InsertSession(connection, transaction, tokenHash, key, address, now, now, limits.Idle, expires);
            Touch(connection, transaction, key, address, now);
            return (0, new SessionGrant(user.Name, Earliest(expires, now + limits.Idle)));
        }, cancellationToken);

    /// <summary>
    /// Replaces <paramref name="name"/>'s password hash with <paramref name="upgradedHash"/> (the same password under
    /// stronger settings), unless the stored hash is no longer <paramref name="oldHash"/>. Whether it was replaced.
    /// </summary>
    public Task<bool> UpgradeHashAsync(string name, string oldHash, string upgradedHash, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) => Sql.Execute(connection, transaction,
            "UPDATE auth_users SET password_hash = @hash WHERE name_key = @key AND password_hash = @old",
            ("@hash", upgradedHash), ("@key", UserNameRules.Key(name)), ("@old", oldHash)) == 1, cancellationToken);

    /// <summary>
    /// Checks a session token and, when it is valid, replaces it with <paramref name="newTokenHash"/> at once (the
    /// old token stops working) keeping the session's start, so that its absolute lifetime still counts from the
    /// password sign-in. An expired session is deleted.
    /// </summary>
    public Task<(ResumeOutcome Outcome, SessionGrant? Grant)> ResumeAsync(
        byte[] tokenHash, byte[] newTokenHash, IPAddress address, SessionLimits limits, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        _database.WriteAsync<(ResumeOutcome, SessionGrant?)>((connection, transaction) =>
        {
            using var command = Sql.Command(connection, transaction,
                "SELECT s.user_key, s.created, s.last_used, s.idle_ms, s.expires, u.name FROM auth_sessions s " +
                "JOIN auth_users u ON u.name_key = s.user_key WHERE s.token_hash = @hash", ("@hash", tokenHash));
            string key, name;
            DateTimeOffset created, lastUsed, expires;
            TimeSpan idle;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return (ResumeOutcome.Unknown, null);
                }

                key = reader.GetString(0);
                created = ParleyDatabase.FromStored(reader.GetInt64(1));
                lastUsed = ParleyDatabase.FromStored(reader.GetInt64(2));
                idle = TimeSpan.FromMilliseconds(reader.GetInt64(3));
                expires = ParleyDatabase.FromStored(reader.GetInt64(4));
                name = reader.GetString(5);
            }

            // The delete decides: of two servers rotating the same token at once, one deletes it, the other gets Unknown.
            if (Sql.Execute(connection, transaction, "DELETE FROM auth_sessions WHERE token_hash = @hash", ("@hash", tokenHash)) == 0)
            {
                return (ResumeOutcome.Unknown, null);
            }

            // The limits the session was issued with, and the server's current ones: the stricter wins.
            if (now >= Earliest(expires, created + limits.Lifetime))
            {
                return (ResumeOutcome.LifetimeExpired, null);
            }

            if (now >= lastUsed + (idle < limits.Idle ? idle : limits.Idle))
            {
                return (ResumeOutcome.IdleExpired, null);
            }

            var newExpires = Earliest(expires, created + limits.Lifetime);
            InsertSession(connection, transaction, newTokenHash, key, address, created, now, limits.Idle, newExpires);
            Touch(connection, transaction, key, address, now);
            return (ResumeOutcome.Resumed, new SessionGrant(name, Earliest(newExpires, now + limits.Idle)));
        }, cancellationToken);

    /// <summary>Marks a session used at <paramref name="now"/> (when its connection ends), so its idle time counts from then.</summary>
    public Task TouchSessionAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) => Sql.Execute(connection, transaction,
            "UPDATE auth_sessions SET last_used = CASE WHEN last_used > @now THEN last_used ELSE @now END WHERE token_hash = @hash",
            ("@now", ParleyDatabase.ToStored(now)), ("@hash", tokenHash)), cancellationToken);

    /// <summary>Ends one session (logout); <see langword="false"/> when it was already gone.</summary>
    public Task<bool> EndSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) => Sql.Execute(connection, transaction,
            "DELETE FROM auth_sessions WHERE token_hash = @hash", ("@hash", tokenHash)) == 1, cancellationToken);

    /// <summary>Seconds until every one of <paramref name="keys"/> lets a sign-in through; 0 when all do now.</summary>
    public Task<int> RetryAfterAsync(IReadOnlyList<string> keys, DateTimeOffset now) => _database.ReadAsync(connection =>
        RetryAfter(connection, null, keys, now));

    /// <summary>
    /// Counts a failed sign-in as <paramref name="name"/> from <paramref name="address"/>: against the pair and the
    /// address (<see cref="LockKeys"/>), which lock, and against the account, which slows down. Unless a lock key is
    /// locked by then (failures recorded while this password was being checked): then nothing is recorded and
    /// <c>RetryAfter</c> says how long to wait. Otherwise <c>Delay</c> is how long to hold the answer back (the
    /// account's slowdown), and <c>RetryAfter</c> is also set when another failing answer for the account is still
    /// held back: one at a time. Deciding and recording in one transaction means that checks running side by side on
    /// many connections cannot all pass a lockout that the first of them sets off.
    /// </summary>
    public Task<FailureOutcome> RecordFailureAsync(
        string name, IPAddress address, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) =>
        {
            var keys = LockKeys(name, address);
            var wait = RetryAfter(connection, transaction, keys, now);
            if (wait > 0)
            {
                return new FailureOutcome(wait, TimeSpan.Zero, []);
            }

            var states = new List<(string, ThrottleState)>();
            foreach (var key in keys)
            {
                var state = Throttle.OnFailure(FindThrottle(connection, transaction, key), now);
                SaveThrottle(connection, transaction, key, state);
                states.Add((key, state));
            }

            var accountKey = AccountKey(name);
            var account = FindThrottle(connection, transaction, accountKey);
            if (Throttle.OnAccountFailure(account, now) is not { } slowed)
            {
                return new FailureOutcome(ThrottlePolicy.RetryAfter(account, now), TimeSpan.Zero, states);
            }

            SaveThrottle(connection, transaction, accountKey, slowed);
            return new FailureOutcome(0, slowed.LockedUntil - now, states) { AccountFailures = slowed.Failures };
        }, cancellationToken);

    /// <summary>Deletes expired sessions, and failure counts and registrations that no longer matter; how many sessions went.</summary>
    public Task<int> PruneAsync(SessionLimits limits, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, transaction) =>
        {
            var stored = ParleyDatabase.ToStored(now);
            var sessions = Sql.Execute(connection, transaction,
                "DELETE FROM auth_sessions WHERE expires <= @now OR last_used + idle_ms <= @now OR created + @lifetime <= @now OR last_used + @idle <= @now",
                ("@now", stored), ("@lifetime", (long)limits.Lifetime.TotalMilliseconds), ("@idle", (long)limits.Idle.TotalMilliseconds));
            Sql.Execute(connection, transaction, "DELETE FROM auth_throttle WHERE locked_until <= @now AND last_failure + @window <= @now",
                ("@now", stored), ("@window", (long)Throttle.Window.TotalMilliseconds));
            Sql.Execute(connection, transaction, "DELETE FROM auth_registrations WHERE at <= @since",
                ("@since", ParleyDatabase.ToStored(now - RegistrationWindow)));
            return sessions;
        }, cancellationToken);

    private static UserRecord? FindUser(DbConnection connection, DbTransaction? transaction, string name)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT name, password_hash, created, last_sign_in FROM auth_users WHERE name_key = @key", ("@key", UserNameRules.Key(name)));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new UserRecord(reader.GetString(0), reader.GetString(1), ParleyDatabase.FromStored(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : ParleyDatabase.FromStored(reader.GetInt64(3)))
            : null;
    }

    private static int RetryAfter(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> keys, DateTimeOffset now) =>
        keys.Select(key => ThrottlePolicy.RetryAfter(FindThrottle(connection, transaction, key), now)).DefaultIfEmpty(0).Max();

    private static void SaveThrottle(DbConnection connection, DbTransaction transaction, string key, ThrottleState state) =>
        Sql.Execute(connection, transaction,
            "INSERT INTO auth_throttle (key, failures, last_failure, locked_until) VALUES (@key, @failures, @last, @until) " +
            "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, locked_until = excluded.locked_until",
            ("@key", key), ("@failures", state.Failures), ("@last", ParleyDatabase.ToStored(state.LastFailure)),
            ("@until", ParleyDatabase.ToStored(state.LockedUntil == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : state.LockedUntil)));

    private static int RegistrationRetryAfter(DbConnection connection, DbTransaction? transaction, string address, int perHour, DateTimeOffset now)
    {
        if (perHour <= 0)
        {
            return 0;
        }

        var since = ParleyDatabase.ToStored(now - RegistrationWindow);
        using var command = Sql.Command(connection, transaction,
            "SELECT count(*), min(at) FROM auth_registrations WHERE address = @address AND at > @since", ("@address", address), ("@since", since));
        using var reader = command.ExecuteReader();
        reader.Read();
        if (reader.GetInt64(0) < perHour)
        {
            return 0;
        }

        var frees = ParleyDatabase.FromStored(reader.GetInt64(1)) + RegistrationWindow;
        return Math.Max(1, (int)Math.Ceiling((frees - now).TotalSeconds));
    }

    private static ThrottleState? FindThrottle(DbConnection connection, DbTransaction? transaction, string key)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT failures, last_failure, locked_until FROM auth_throttle WHERE key = @key", ("@key", key));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ThrottleState(reader.GetInt32(0), ParleyDatabase.FromStored(reader.GetInt64(1)), ParleyDatabase.FromStored(reader.GetInt64(2)))
            : null;
    }

    private static void InsertSession(
        DbConnection connection, DbTransaction transaction, byte[] tokenHash, string userKey, IPAddress address,
        DateTimeOffset created, DateTimeOffset lastUsed, TimeSpan idle, DateTimeOffset expires) =>
        Sql.Execute(connection, transaction,
            "INSERT INTO auth_sessions (token_hash, user_key, address, created, last_used, idle_ms, expires) " +
            "VALUES (@hash, @key, @address, @created, @used, @idle, @expires)",
            ("@hash", tokenHash), ("@key", userKey), ("@address", Identity.ClientStore.Key(address)),
            ("@created", ParleyDatabase.ToStored(created)), ("@used", ParleyDatabase.ToStored(lastUsed)),
            ("@idle", (long)idle.TotalMilliseconds), ("@expires", ParleyDatabase.ToStored(expires)));

    private static void Touch(DbConnection connection, DbTransaction transaction, string userKey, IPAddress address, DateTimeOffset now)
    {
        var stored = ParleyDatabase.ToStored(now);
        Sql.Execute(connection, transaction, "UPDATE auth_users SET last_sign_in = @now WHERE name_key = @key", ("@now", stored), ("@key", userKey));
        Sql.Execute(connection, transaction,
            "INSERT INTO auth_last_user (address, user_key, at) VALUES (@address, @key, @now) " +
            "ON CONFLICT (address) DO UPDATE SET user_key = excluded.user_key, at = excluded.at",
            ("@address", Identity.ClientStore.Key(address)), ("@key", userKey), ("@now", stored));
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
