using System.Net;
using Microsoft.Extensions.Time.Testing;
using Parley.Auth;
using Parley.Dialog;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16, "Five wrong passwords for victim from a stranger's address": the owner, from another address with the
/// right password, was refused for 30 s; and "serve auth --no-register, a stranger from the owner's address": the
/// first question offered victim as the default user name. Now the lock is per (account, address) and per address;
/// an account guessed at from many addresses is slowed down, never locked; and no name is suggested with
/// registration closed.
/// </summary>
public sealed class AuthLockoutThreatTests : IDisposable
{
    private static readonly Argon2Settings Cheap = new(64, 1);
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Owner = IPAddress.Parse("127.0.0.3");
    private readonly TempDatabase _file = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero));
    private readonly PasswordHashingPool _pool = new(workers: 2, queueLength: 64);
    private readonly ParleyDatabase _database;

    public AuthLockoutThreatTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _pool.Dispose();
        _database.Dispose();
        _file.Dispose();
    }

    private LoopbackServer StartAuth(AuthOptions? options = null) =>
        LoopbackServer.Start(logs => new AuthHandler(new AuthStore(_database), options ?? new AuthOptions(), new PasswordHasher(Cheap), _pool, logs, _time));

    private Task AddVictimAsync() =>
        new AuthStore(_database).CreateUserAsync("victim", new PasswordHasher(Cheap).Hash("victims password"), _time.GetUtcNow());

    private static async Task<DialogMessage> GuessAsync(LoopbackServer server, IPAddress from, CancellationToken ct)
    {
        await using var client = await AuthTestClient.ConnectAsync(server, from, ct);
        return await AuthTestClient.TryLoginAsync(client, "victim", "a guess", ct);
    }

    [Fact]
    public async Task Five_wrong_passwords_for_victim_from_a_strangers_address_leave_the_owner_signing_in_from_another_address()
    {
        var ct = TestTimeout.Token();
        await AddVictimAsync();
        await using var server = StartAuth();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DialogErrorCodes.LoginFailed, (await GuessAsync(server, Stranger, ct)).Code);
        }

        await using var stranger = await AuthTestClient.ConnectAsync(server, Stranger, ct);
        await stranger.ExpectAsync(DialogTypes.Ask, ct, "username");
        await stranger.AnswerAsync("username", "victim", ct);
        var refused = await stranger.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Throttled);
        var (owner, session) = await AuthTestClient.LoginAsync(server, Owner, "victim", "victims password", ct);
        await owner.DisposeAsync();

        Assert.Equal(30, refused.RetryAfter);
        Assert.Equal("victim", session.User);
    }

    [Fact]
    public async Task Guesses_for_one_account_from_many_addresses_are_slowed_one_at_a_time_and_its_owner_still_gets_in_at_once()
    {
        var ct = TestTimeout.Token();
        await AddVictimAsync();
        await using var server = StartAuth();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DialogErrorCodes.LoginFailed, (await GuessAsync(server, IPAddress.Parse($"127.0.1.{i + 1}"), ct)).Code);
        }

        // The sixth failure is held back a second (on the server's clock); a seventh meanwhile is not checked in parallel.
        var sixth = GuessAsync(server, IPAddress.Parse("127.0.1.6"), ct);
        await Poll.UntilAsync(() => server.Logs.Has("SlowedDown"), "the sixth answer held back");
        var seventh = await GuessAsync(server, IPAddress.Parse("127.0.1.7"), ct);
        var (owner, session) = await AuthTestClient.LoginAsync(server, Owner, "victim", "victims password", ct);
        await owner.DisposeAsync();
        var stillHeld = !sixth.IsCompleted;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(stillHeld);
        Assert.Equal(DialogErrorCodes.LoginFailed, (await sixth).Code);
        Assert.Equal(DialogErrorCodes.Throttled, seventh.Code);
        Assert.Equal(1, seventh.RetryAfter);
        Assert.Equal("victim", session.User);
        Assert.Contains("held back 1", server.Logs.Events("SlowedDown").Single().Message, StringComparison.Ordinal);
        Assert.False(server.Logs.Has("LockedOut"));
    }

    [Fact]
    public async Task With_registration_closed_a_stranger_from_the_owners_address_is_offered_no_user_name()
    {
        var ct = TestTimeout.Token();
        await AddVictimAsync();
        await using (var open = StartAuth())
        {
            var (owner, _) = await AuthTestClient.LoginAsync(open, Owner, "victim", "victims password", ct);
            await owner.DisposeAsync();
            await using var again = await AuthTestClient.ConnectAsync(open, Owner, ct);
            Assert.Equal("victim", (await again.ExpectAsync(DialogTypes.Ask, ct, "username")).Default);
        }

        await using var closed = StartAuth(new AuthOptions { AllowRegistration = false });
        await using var stranger = await AuthTestClient.ConnectAsync(closed, Owner, ct);

        var ask = await stranger.ExpectAsync(DialogTypes.Ask, ct, "username");

        Assert.Null(ask.Default);
    }
}
