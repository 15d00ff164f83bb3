using System.Net;
using Parley.Auth;
using Parley.Identity;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Storage;

/// <summary>
/// The contract every engine of the store keeps (issue 17), run against SQLite and against a private PostgreSQL.
/// Two <see cref="ParleyDatabase"/> objects on one database stand for two servers: every guarantee is decided by the
/// database, so what one decides the other sees, and races between them end as they would on one server.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class SharedStoreTests(PostgreSqlServer postgres) : IDisposable
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);
    private readonly List<IDisposable> _opened = [];
    private TempDatabase? _file;
    private string? _url;

    /// <summary>SQLite always; PostgreSQL where it is installed (or required): <see cref="Private_PostgreSQL_runs_for_these_tests"/> says why not.</summary>
    public static TheoryData<string> Engines =>
        PostgreSqlServer.WhyUnavailable is null || PostgreSqlServer.Required ? new TheoryData<string> { "sqlite", "postgresql" } : new TheoryData<string> { "sqlite" };

    public void Dispose()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }

        _file?.Dispose();
    }

    [PostgreSqlFact]
    public void Private_PostgreSQL_runs_for_these_tests() => Assert.True(postgres.Running);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_account_made_through_one_server_signs_in_through_another(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        Assert.True(await new AuthStore(a).CreateUserAsync("Alice", "hash", Now));

        var (wait, grant) = await new AuthStore(b).SignInAsync("alice", Client, Token(1), SessionLimits.Default, Now, AuthStore.LockKeys("alice", Client));

        Assert.Equal(0, wait);
        Assert.Equal("Alice", grant!.User);
        Assert.Equal("hash", (await new AuthStore(a).FindUserAsync("ALICE"))!.PasswordHash);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task One_token_rotated_on_two_servers_at_once_gives_exactly_one_session(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        var storeA = new AuthStore(a);
        var storeB = new AuthStore(b);
        await storeA.CreateUserAsync("bob", "hash", Now);
        for (var round = 0; round < 10; round++)
        {
            var token = Token(100 + round);
            await storeA.SignInAsync("bob", Client, token, SessionLimits.Default, Now, []);

            var results = await Task.WhenAll(
                storeA.ResumeAsync(token, Token(200 + round), Client, SessionLimits.Default, Now),
                storeB.ResumeAsync(token, Token(300 + round), Client, SessionLimits.Default, Now));

            Assert.Equal(1, results.Count(r => r.Outcome == ResumeOutcome.Resumed));
            Assert.Equal(1, results.Count(r => r.Outcome == ResumeOutcome.Unknown));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Revoke_and_a_new_password_on_one_server_end_the_sessions_another_issued(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        await new AuthStore(a).CreateUserAsync("carol", "hash", Now);
        await new AuthStore(a).SignInAsync("carol", Client, Token(1), SessionLimits.Default, Now, []);
        await new AuthStore(a).SignInAsync("carol", Client, Token(2), SessionLimits.Default, Now, []);

        Assert.Equal(2, await new AuthStore(b).RevokeAsync("carol"));
        await new AuthStore(a).SignInAsync("carol", Client, Token(3), SessionLimits.Default, Now, []);
        Assert.Equal(1, await new AuthStore(b).SetPasswordAsync("carol", "new", endSessions: true));

        foreach (var token in new[] { Token(1), Token(2), Token(3) })
        {
            Assert.Equal(ResumeOutcome.Unknown, (await new AuthStore(a).ResumeAsync(token, Token(9), Client, SessionLimits.Default, Now)).Outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Five_failures_spread_over_two_servers_lock_the_address_on_both(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        var stores = new[] { new AuthStore(a), new AuthStore(b) };
        for (var failure = 0; failure < 5; failure++)
        {
            await stores[failure % 2].RecordFailureAsync($"user{failure}", Client, Now);
        }

        foreach (var store in stores)
        {
            Assert.True(await store.RetryAfterAsync([AuthStore.AddressKey(Client)], Now) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Failures_at_once_on_two_servers_are_all_counted(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => new AuthStore(i % 2 == 0 ? a : b).RecordFailureAsync("dave", IPAddress.Parse($"198.51.100.{i}"), Now)));

        var outcome = await new AuthStore(b).RecordFailureAsync("dave", IPAddress.Parse("198.51.100.99"), Now);

        Assert.Equal(5, outcome.AccountFailures);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task One_new_name_registered_on_two_servers_at_once_makes_one_account(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        for (var round = 0; round < 10; round++)
        {
            var name = $"race{round}";
            var results = await Task.WhenAll(
                new AuthStore(a).RegisterAsync(name, "hash-a", IPAddress.Parse("192.0.2.1"), 0, Now),
                new AuthStore(b).RegisterAsync(name.ToUpperInvariant(), "hash-b", IPAddress.Parse("192.0.2.2"), 0, Now));

            Assert.Equal(1, results.Count(r => r.Created));
        }

        Assert.Equal(10, (await new AuthStore(a).ListUsersAsync(Now)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_name_given_on_one_ident_server_is_known_on_another(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);
        await new ClientStore(a).NameAsync(Client, "Eve", Now);

        var visit = await new ClientStore(b).VisitAsync(Client, Now.AddMinutes(1));

        Assert.Equal("Eve", visit!.Client.Name);
        Assert.Equal(2, (await new ClientStore(a).FindAsync(Client))!.Visits);
        Assert.True(await new ClientStore(b).ForgetAsync(Client));
        Assert.Null(await new ClientStore(a).FindAsync(Client));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Servers_of_one_database_share_one_service_id_that_outlives_them(string engine)
    {
        var (a, b) = await TwoServersAsync(engine);

        Assert.Matches("^[0-9a-f]{32}$", a.ServiceId);
        Assert.Equal(a.ServiceId, b.ServiceId);
        Assert.Equal(a.ServiceId, (await OpenAsync(engine, reuse: true)).ServiceId);
    }

    [PostgreSqlFact]
    public async Task Servers_starting_at_once_on_an_empty_PostgreSQL_database_make_one_schema()
    {
        var url = PostgreSqlUrl.Parse(await postgres.CreateDatabaseAsync());

        var databases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Keep(PostgreSqlDatabase.Open(url)))));

        Assert.Single(databases.Select(d => d.ServiceId).Distinct());
        Assert.Equal($"{ParleyDatabase.SchemaVersion}", (await postgres.PsqlAsync(Name(url), "SELECT version FROM parley_schema")).Trim());
    }

    [PostgreSqlFact]
    public async Task A_PostgreSQL_database_of_a_newer_Parley_is_refused_in_one_line()
    {
        var url = PostgreSqlUrl.Parse(await postgres.CreateDatabaseAsync());
        PostgreSqlDatabase.Open(url).Dispose();
        await postgres.PsqlAsync(Name(url), $"UPDATE parley_schema SET version = {ParleyDatabase.SchemaVersion + 1}");

        var error = Assert.Throws<ParleyDatabaseException>(() => PostgreSqlDatabase.Open(url));

        Assert.Contains($"was written by a newer version of Parley (schema version {ParleyDatabase.SchemaVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgreSqlServer.Password, error.Message, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task An_admin_command_on_a_PostgreSQL_database_without_the_schema_creates_nothing()
    {
        var url = PostgreSqlUrl.Parse(await postgres.CreateDatabaseAsync());

        var error = Assert.Throws<ParleyDatabaseException>(() => PostgreSqlDatabase.Open(url, create: false));

        Assert.Contains("there is no Parley database at postgres://parley@127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", (await postgres.PsqlAsync(Name(url), "SELECT count(*) FROM pg_tables WHERE tablename = 'parley_schema'")).Trim());
    }

    [PostgreSqlFact]
    public async Task While_PostgreSQL_is_down_the_store_is_unavailable_and_the_outage_is_logged_once_each_way()
    {
        var url = PostgreSqlUrl.Parse(await postgres.CreateDatabaseAsync());
        var (factory, logs) = TestLogging.Create();
        using var logging = factory;
        var database = Keep(PostgreSqlDatabase.Open(url, factory.CreateLogger("Parley.Storage")));
        var store = new AuthStore(database);
        await store.CreateUserAsync("frank", "hash", Now);

        await postgres.StopAsync();
        try
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var error = await Assert.ThrowsAsync<ParleyDatabaseException>(() => store.CreateUserAsync($"new{attempt}", "hash", Now));
                Assert.True(error.IsUnavailable);
                Assert.DoesNotContain(PostgreSqlServer.Password, error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            await postgres.StartAsync();
        }

        var deadline = DateTime.UtcNow + TestTimeout.Default;
        while (!await FoundAsync(store, "frank"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the store did not reconnect");
            await Task.Delay(50);
        }

        Assert.Null(await store.FindUserAsync("new0"));
        Assert.Single(logs.Events("Lost"));
        Assert.Single(logs.Events("Back"));
    }

    private static async Task<bool> FoundAsync(AuthStore store, string name)
    {
        try
        {
            return await store.FindUserAsync(name) is not null;
        }
        catch (ParleyDatabaseException e) when (e.IsUnavailable)
        {
            return false;
        }
    }

    private static byte[] Token(int n) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n));

    private static string Name(PostgreSqlUrl url) => url.Display[(url.Display.LastIndexOf('/') + 1)..];

    private ParleyDatabase Keep(ParleyDatabase database)
    {
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    private async Task<ParleyDatabase> OpenAsync(string engine, bool reuse = false)
    {
        if (engine == "sqlite")
        {
            _file ??= new TempDatabase();
            return Keep(ParleyDatabase.Open(_file.Path));
        }

        if (!reuse || _url is null)
        {
            _url = await postgres.CreateDatabaseAsync();
        }

        return Keep(PostgreSqlDatabase.Open(PostgreSqlUrl.Parse(_url)));
    }

    private async Task<(ParleyDatabase A, ParleyDatabase B)> TwoServersAsync(string engine) =>
        (await OpenAsync(engine), await OpenAsync(engine, reuse: true));
}
