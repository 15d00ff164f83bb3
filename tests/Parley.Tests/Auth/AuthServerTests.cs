using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Parley.Auth;
using Parley.Dialog;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Auth;

public sealed class AuthServerTests : IDisposable
{
    private static readonly Argon2Settings Cheap = new(64, 1);
    private readonly TempDatabase _file = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero));
    private readonly PasswordHashingPool _pool = new(workers: 2, queueLength: 64);
    private ParleyDatabase _database;

    public AuthServerTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _pool.Dispose();
        _database.Dispose();
        _file.Dispose();
    }

    private static IPAddress Client(int n) => IPAddress.Parse($"127.0.2.{n}");

    private LoopbackServer StartAuth(
        AuthOptions? options = null, Argon2Settings? settings = null, PasswordHashingPool? pool = null, ThrottlePolicy? throttle = null) =>
        LoopbackServer.Start(logs => new AuthHandler(
            new AuthStore(_database, throttle), options ?? new AuthOptions(), new PasswordHasher(settings ?? Cheap), pool ?? _pool, logs, _time));

    private Task AddUserAsync(string name, string password, Argon2Settings? settings = null) =>
        new AuthStore(_database).CreateUserAsync(name, new PasswordHasher(settings ?? Cheap).Hash(password), _time.GetUtcNow());

    [Fact]
    public async Task Hello_names_the_auth_service_and_asks_the_user_name_first()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(1), ct);

        var ask = await client.ExpectAsync(DialogTypes.Ask, ct, "username");

        Assert.False(ask.Secret);
        Assert.Null(ask.Default);
    }

    [Fact]
    public async Task Registering_then_reconnecting_with_the_token_asks_no_password_and_rotates_the_token()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (first, session) = await AuthTestClient.RegisterAsync(server, Client(2), "alice", "correct horse", ct);
        await using (first)
        {
            Assert.Equal("alice", session.User);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", session.Token);
            Assert.Equal("2025-01-31T12:30:00Z", session.Expires);
            await first.SayAsync("exit", ct);
            await first.ReadToEndAsync(ct);
        }

        await using var second = await AuthTestClient.ConnectAsync(server, Client(2), ct);
        var renewed = await AuthTestClient.ResumeAsync(second, session.Token!, ct);

        Assert.Equal(DialogTypes.Session, renewed.Type);
        Assert.Equal("alice", renewed.User);
        Assert.NotEqual(session.Token, renewed.Token);
        Assert.Contains("resumed", (await second.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
        await second.ExpectAsync(DialogTypes.Ready, ct);
        await second.SayAsync("hi", ct);
        Assert.Equal("hi", (await second.ExpectAsync(DialogTypes.Echo, ct)).Text);

        await using var third = await AuthTestClient.ConnectAsync(server, Client(2), ct);
        var refused = await AuthTestClient.ResumeAsync(third, session.Token!, ct);
        Assert.Equal(DialogErrorCodes.SessionInvalid, refused.Code);
        await third.ExpectAsync(DialogTypes.Ask, ct, "username");
        Assert.True(server.Logs.Has("SessionRefused"));
    }

    [Fact]
    public async Task The_user_name_question_proposes_the_user_last_signed_in_from_the_address()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (client, _) = await AuthTestClient.RegisterAsync(server, Client(3), "bob", "bobs password", ct);
        await client.DisposeAsync();

        await using var again = await AuthTestClient.ConnectAsync(server, Client(3), ct);
        await using var elsewhere = await AuthTestClient.ConnectAsync(server, Client(4), ct);

        Assert.Equal("bob", (await again.ExpectAsync(DialogTypes.Ask, ct, "username")).Default);
        Assert.Null((await elsewhere.ExpectAsync(DialogTypes.Ask, ct, "username")).Default);
    }

    [Fact]
    public async Task A_session_unused_for_longer_than_the_idle_timeout_is_refused()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (client, session) = await AuthTestClient.RegisterAsync(server, Client(5), "carol", "carols password", ct);
        await client.DisposeAsync();
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to close");
        _time.Advance(TimeSpan.FromMinutes(29));
        await using (var inTime = await AuthTestClient.ConnectAsync(server, Client(5), ct))
        {
            session = await AuthTestClient.ResumeAsync(inTime, session.Token!, ct);
            Assert.Equal(DialogTypes.Session, session.Type);
        }

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to close");
        _time.Advance(TimeSpan.FromMinutes(30));
        await using var late = await AuthTestClient.ConnectAsync(server, Client(5), ct);

        var refused = await AuthTestClient.ResumeAsync(late, session.Token!, ct);

        Assert.Equal(DialogErrorCodes.SessionInvalid, refused.Code);
        Assert.True(server.Logs.Has("SessionRefused", r => r.Message.Contains("unused for too long", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_session_in_use_still_ends_at_its_absolute_lifetime()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth(new AuthOptions { Sessions = new SessionLimits(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)) });
        var (client, session) = await AuthTestClient.RegisterAsync(server, Client(6), "dave", "daves password", ct);
        await client.DisposeAsync();

        for (var i = 0; i < 5; i++)
        {
            await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to close");
            _time.Advance(TimeSpan.FromMinutes(20));
            await using var again = await AuthTestClient.ConnectAsync(server, Client(6), ct);
            session = await AuthTestClient.ResumeAsync(again, session.Token!, ct);
            Assert.Equal(DialogTypes.Session, session.Type);
        }

        Assert.Equal("2025-01-31T14:00:00Z", session.Expires);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the connection to close");
        _time.Advance(TimeSpan.FromMinutes(20));
        await using var late = await AuthTestClient.ConnectAsync(server, Client(6), ct);

        var refused = await AuthTestClient.ResumeAsync(late, session.Token!, ct);

        Assert.Equal(DialogErrorCodes.SessionInvalid, refused.Code);
        Assert.True(server.Logs.Has("SessionRefused", r => r.Message.Contains("past its lifetime", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_with_registration_closed_get_the_same_answer()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("erin", "erins password");
        await using var server = StartAuth(new AuthOptions { AllowRegistration = false });
        await using var wrong = await AuthTestClient.ConnectAsync(server, Client(7), ct);
        await using var unknown = await AuthTestClient.ConnectAsync(server, Client(8), ct);

        var toWrong = await AuthTestClient.TryLoginAsync(wrong, "erin", "not her password", ct);
        var toUnknown = await AuthTestClient.TryLoginAsync(unknown, "nobody", "not her password", ct);

        Assert.Equal(DialogCodec.Serialize(toWrong), DialogCodec.Serialize(toUnknown));
        Assert.Equal(DialogErrorCodes.LoginFailed, toWrong.Code);
        Assert.Equal("Invalid user name or password.", toWrong.Text);
        Assert.Equal(DialogTypes.Ask, (await wrong.ReceiveAsync(ct))!.Type);
        Assert.Equal(DialogTypes.Ask, (await unknown.ReceiveAsync(ct))!.Type);
    }

    [Fact]
    public async Task Three_failures_on_one_connection_end_it_with_bye()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("frank", "franks password");
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(9), ct);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DialogErrorCodes.LoginFailed, (await AuthTestClient.TryLoginAsync(client, "frank", $"guess {i}", ct)).Code);
        }

        Assert.Contains("3 failed sign-ins", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        Assert.Null(await client.ReceiveAsync(ct));
    }

    [Fact]
    public async Task Five_failures_from_one_address_lock_the_account_from_that_address_with_retry_after_even_after_a_restart_but_not_from_another()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("grace", "graces password");
        await using (var server = StartAuth())
        {
            await FailAsync(server, Client(10), "grace", 3, ct);
            await FailAsync(server, Client(10), "grace", 2, ct);
            Assert.True(server.Logs.Has("LockedOut", r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning
                && r.Message.Contains("pair:grace 127.0.2.10", StringComparison.Ordinal)));
            Assert.False(server.Logs.Has("LockedOut", r => r.Message.Contains("user:grace", StringComparison.Ordinal)));
        }

        _database.Dispose();
        _database = _file.Open();
        await using var restarted = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(restarted, Client(10), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", "GRACE", ct);

        var throttled = await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Throttled);

        Assert.Equal(30, throttled.RetryAfter);
        Assert.Contains("30 seconds", throttled.Text, StringComparison.Ordinal);
        await client.ExpectAsync(DialogTypes.Bye, ct);
        var (elsewhere, _) = await AuthTestClient.LoginAsync(restarted, Client(12), "grace", "graces password", ct);
        await elsewhere.DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(30));
        var (later, _) = await AuthTestClient.LoginAsync(restarted, Client(10), "grace", "graces password", ct);
        await later.DisposeAsync();
    }

    [Fact]
    public async Task A_password_typed_while_the_account_got_locked_from_that_address_is_refused_unchecked()
    {
        // Connections held open at the password question would otherwise each get one guess past the lockout.
        var ct = TestTimeout.Token();
        await AddUserAsync("gus", "guss password");
        await using var server = StartAuth();
        await using var staged = await AuthTestClient.ConnectAsync(server, Client(40), ct);
        await staged.ExpectAsync(DialogTypes.Ask, ct, "username");
        await staged.AnswerAsync("username", "gus", ct);
        await staged.ExpectAsync(DialogTypes.Ask, ct, "password");
        await FailAsync(server, Client(40), "gus", 3, ct);
        await FailAsync(server, Client(40), "gus", 2, ct);

        await staged.AnswerAsync("password", "guss password", ct);

        Assert.Equal(30, (await staged.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Throttled)).RetryAfter);
        await staged.ExpectAsync(DialogTypes.Bye, ct);
        Assert.False(server.Logs.Has("SignedIn"));
    }

    [Fact]
    public async Task Guesses_sent_at_the_same_moment_on_many_connections_from_one_address_get_no_more_answers_than_the_limit()
    {
        // Failures are recorded when a check ends. The hashing worker is held until all twenty guesses wait for it, so
        // every one has passed the check made before hashing; of the twenty, only the limit may be answered.
        var ct = TestTimeout.Token();
        await AddUserAsync("ivan", "ivans password");
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 32);
        using var gate = new ManualResetEventSlim();
        await using var server = StartAuth(pool: pool);
        var staged = new List<DialogTestClient>();
        for (var i = 0; i < 20; i++)
        {
            var client = await AuthTestClient.ConnectAsync(server, Client(60), ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "username");
            await client.AnswerAsync("username", "ivan", ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "password");
            staged.Add(client);
        }

        Assert.True(pool.TryRun(() => gate.Wait(TimeSpan.FromSeconds(30), ct), out var held));
        await Task.WhenAll(staged.Select(c => c.AnswerAsync("password", "a guess", ct)));
        await Poll.UntilAsync(() => pool.Queued == 20, "twenty checks queued");
        gate.Set();
        var replies = await Task.WhenAll(staged.Select(async c => (await c.ReceiveAsync(ct))!));

        Assert.True(await held);
        Assert.Equal(5, replies.Count(r => r.Code == DialogErrorCodes.LoginFailed));
        Assert.Equal(15, replies.Count(r => r.Code == DialogErrorCodes.Throttled));
        Assert.Equal(5, server.Logs.Events("LoginFailed").Count);
        foreach (var client in staged)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_right_password_checked_while_the_lockout_of_its_address_began_is_refused_like_a_wrong_one()
    {
        // One hashing worker, held: five wrong guesses, a second hold, then the right password queue behind it, all
        // past the check made before hashing. The guesses are answered and set off the lockout; then the right
        // password is checked, and its sign-in must find the account locked.
        var ct = TestTimeout.Token();
        await AddUserAsync("olga", "olgas password");
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 16);
        using var first = new ManualResetEventSlim();
        using var second = new ManualResetEventSlim();
        await using var server = StartAuth(pool: pool);
        var clients = new List<DialogTestClient>();
        for (var i = 0; i < 6; i++)
        {
            var client = await AuthTestClient.ConnectAsync(server, Client(100), ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "username");
            await client.AnswerAsync("username", "olga", ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "password");
            clients.Add(client);
        }

        Assert.True(pool.TryRun(() => first.Wait(TimeSpan.FromSeconds(30), ct), out var firstHeld));
        await Poll.UntilAsync(() => pool.Running == 1 && pool.Queued == 0, "the worker held");
        for (var i = 0; i < 5; i++)
        {
            await clients[i].AnswerAsync("password", "a guess", ct);
            var queued = i + 1;
            await Poll.UntilAsync(() => pool.Queued == queued, $"{queued} checks queued");
        }

        // In the clients' address's turn, so that it runs after their guesses and before the right password.
        Assert.True(pool.TryRun("127.0.2.100", HashingPurpose.SignIn, () => second.Wait(TimeSpan.FromSeconds(30), ct), out var secondHeld));
        await clients[5].AnswerAsync("password", "olgas password", ct);
        await Poll.UntilAsync(() => pool.Queued == 7, "the right password queued");
        first.Set();
        var guesses = await Task.WhenAll(clients[..5].Select(async c => (await c.ReceiveAsync(ct))!));
        second.Set();
        var right = (await clients[5].ReceiveAsync(ct))!;

        Assert.True(await firstHeld && await secondHeld);
        Assert.All(guesses, r => Assert.Equal(DialogErrorCodes.LoginFailed, r.Code));
        Assert.Equal(DialogErrorCodes.Throttled, right.Code);
        Assert.Equal(30, right.RetryAfter);
        Assert.False(server.Logs.Has("SignedIn"));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Failure_counts_that_no_longer_matter_are_deleted_even_when_nobody_signs_in()
    {
        var ct = TestTimeout.Token();
        foreach (var name in (string[])["kim", "lee", "max", "ned"])
        {
            await AddUserAsync(name, name + "s password");
        }

        await using var server = StartAuth();
        await FailAsync(server, Client(90), "kim", 1, ct);
        await FailAsync(server, Client(91), "lee", 1, ct);
        await FailAsync(server, Client(92), "max", 1, ct);

        Assert.Equal(9, await ThrottleRowsAsync());
        _time.Advance(TimeSpan.FromMinutes(16));
        await FailAsync(server, Client(93), "ned", 1, ct);

        Assert.Equal(3, await ThrottleRowsAsync());
    }

    [Fact]
    public async Task Registrations_older_than_an_hour_are_forgotten_when_failure_counts_are_pruned()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("ole", "oles password");
        await using var server = StartAuth(new AuthOptions { RegistrationsPerHour = 1 });
        var (client, _) = await AuthTestClient.RegisterAsync(server, Client(94), "pia", "pias password", ct);
        await client.DisposeAsync();
        Assert.Equal(1, await RegistrationRowsAsync());

        _time.Advance(TimeSpan.FromMinutes(61));
        await FailAsync(server, Client(95), "ole", 1, ct);

        Assert.Equal(0, await RegistrationRowsAsync());
        var (again, _) = await AuthTestClient.RegisterAsync(server, Client(94), "quin", "quins password", ct);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Further_failures_double_the_lockout()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("heidi", "heidis password");
        // The sixth failure would also slow the account's answers down (a delay on the fake clock): not the subject here.
        await using var server = StartAuth(throttle: new ThrottlePolicy { SlowAfter = 100 });
        await FailAsync(server, Client(13), "heidi", 3, ct);
        await FailAsync(server, Client(13), "heidi", 2, ct);
        _time.Advance(TimeSpan.FromSeconds(30));

        await FailAsync(server, Client(13), "heidi", 1, ct);

        await using var client = await AuthTestClient.ConnectAsync(server, Client(13), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", "heidi", ct);
        Assert.Equal(60, (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Throttled)).RetryAfter);
    }

    [Fact]
    public async Task Five_failures_from_one_address_lock_that_address_for_every_account()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("ivan", "ivans password");
        await using var server = StartAuth(new AuthOptions { AllowRegistration = false });
        await FailAsync(server, Client(17), "someone", 3, ct);
        await FailAsync(server, Client(17), "someone-else", 2, ct);

        await using var client = await AuthTestClient.ConnectAsync(server, Client(17), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", "ivan", ct);

        Assert.Equal(30, (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Throttled)).RetryAfter);
        var (other, _) = await AuthTestClient.LoginAsync(server, Client(18), "ivan", "ivans password", ct);
        await other.DisposeAsync();
    }

    [Fact]
    public async Task A_success_resets_the_accounts_count()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("judy", "judys password");
        await using var server = StartAuth();
        await FailAsync(server, Client(19), "judy", 3, ct);
        await FailAsync(server, Client(20), "judy", 1, ct);
        var (ok, _) = await AuthTestClient.LoginAsync(server, Client(21), "judy", "judys password", ct);
        await ok.DisposeAsync();

        await FailAsync(server, Client(22), "judy", 3, ct);
        await FailAsync(server, Client(23), "judy", 1, ct);

        var (still, _) = await AuthTestClient.LoginAsync(server, Client(24), "judy", "judys password", ct);
        await still.DisposeAsync();
    }

    [Fact]
    public async Task The_database_holds_no_password_and_no_token_in_clear()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth(settings: Argon2Settings.Owasp);
        const string password = "pässword-4-scan!";
        var (first, session) = await AuthTestClient.RegisterAsync(server, Client(25), "kim", password, ct);
        await first.DisposeAsync();
        await using var second = await AuthTestClient.ConnectAsync(server, Client(25), ct);
        var renewed = await AuthTestClient.ResumeAsync(second, session.Token!, ct);
        Assert.Equal(DialogTypes.Session, renewed.Type);

        var secrets = new[] { password, session.Token!, renewed.Token! }
            .SelectMany(s => new[] { Encoding.UTF8.GetBytes(s), Encoding.Unicode.GetBytes(s) })
            .Concat(new[] { session.Token!, renewed.Token! }.Select(t => Convert.FromBase64String(t.Replace('-', '+').Replace('_', '/') + "=")))
            .ToList();
        foreach (var file in Directory.GetFiles(_file.Folder))
        {
            var bytes = await File.ReadAllBytesAsync(file, ct);
            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(secret) < 0, $"{Path.GetFileName(file)} holds a secret in clear");
            }
        }

        Assert.Contains(Directory.GetFiles(_file.Folder), f => f.EndsWith("-wal", StringComparison.Ordinal));
        var logged = string.Join("\n", server.Logs.GetSnapshot().Select(r => r.Message + r.Exception));
        Assert.DoesNotContain(password, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Token!, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(renewed.Token!, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hash_weaker_than_the_settings_is_upgraded_at_sign_in()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("liz", "lizs password", new Argon2Settings(32, 1));
        var stronger = new Argon2Settings(128, 2);
        await using var server = StartAuth(settings: stronger);

        var (client, _) = await AuthTestClient.LoginAsync(server, Client(26), "liz", "lizs password", ct);
        await client.DisposeAsync();

        var stored = (await new AuthStore(_database).FindUserAsync("liz"))!.PasswordHash;
        Assert.True(PhcHash.TryParse(stored, out var phc));
        Assert.Equal(stronger, phc.Settings);
        Assert.True(server.Logs.Has("HashUpgraded"));
        var (again, _) = await AuthTestClient.LoginAsync(server, Client(26), "liz", "lizs password", ct);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_logins_at_once_all_succeed_while_another_conversation_keeps_getting_its_echoes()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var costly = new Argon2Settings(4096, 1);
        await AddUserAsync("mallory", "mallorys password", costly);
        await using var server = StartAuth(new AuthOptions { AllowRegistration = false }, costly);
        var (chatter, _) = await AuthTestClient.LoginAsync(server, Client(27), "mallory", "mallorys password", ct);
        await using var _ = chatter;
        using var flooding = new CancellationTokenSource();

        var logins = Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var (client, session) = await AuthTestClient.LoginAsync(server, IPAddress.Parse($"127.0.3.{i + 1}"), "mallory", "mallorys password", ct);
            await client.DisposeAsync();
            return session.Token;
        }));
        var echoes = 0;
        while (!logins.IsCompleted)
        {
            await chatter.SayAsync($"line {echoes}", ct);
            Assert.Equal($"line {echoes}", (await chatter.ExpectAsync(DialogTypes.Echo, ct)).Text);
            echoes++;
        }

        var tokens = await logins;
        Assert.Equal(50, tokens.Distinct().Count());
        Assert.True(echoes > 0);
        Assert.False(server.Logs.Has("Busy"));
    }

    [Fact]
    public async Task Past_the_hashing_queue_a_client_gets_busy()
    {
        var ct = TestTimeout.Token();
        await AddUserAsync("nina", "ninas password");
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 1);
        await using var server = StartAuth(pool: pool);
        using var gate = new ManualResetEventSlim();
        Assert.True(pool.TryRun(() => gate.Wait(TestTimeout.Default), out var blocker));
        await Poll.UntilAsync(() => pool.Running == 1, "the blocker to run");
        Assert.True(pool.TryRun(() => 0, out _));
        await using var client = await AuthTestClient.ConnectAsync(server, Client(28), ct);

        var busy = await AuthTestClient.TryLoginAsync(client, "nina", "ninas password", ct);

        Assert.Equal(DialogErrorCodes.Busy, busy.Code);
        await client.ExpectAsync(DialogTypes.Bye, ct);
        Assert.True(server.Logs.Has("Busy"));
        gate.Set();
        await blocker;
    }

    [Fact]
    public async Task Logout_revokes_the_token_and_ends_with_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (client, session) = await AuthTestClient.RegisterAsync(server, Client(29), "olga", "olgas password", ct);
        await using (client)
        {
            await client.SendAsync(DialogMessage.Logout(), ct);
            Assert.Contains("logged out", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
            Assert.Null(await client.ReceiveAsync(ct));
        }

        await using var again = await AuthTestClient.ConnectAsync(server, Client(29), ct);
        Assert.Equal(DialogErrorCodes.SessionInvalid, (await AuthTestClient.ResumeAsync(again, session.Token!, ct)).Code);
        Assert.True(server.Logs.Has("LoggedOut"));
    }

    [Fact]
    public async Task A_revoked_user_cannot_resume()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (client, session) = await AuthTestClient.RegisterAsync(server, Client(30), "peggy", "peggys password", ct);
        await client.DisposeAsync();

        Assert.Equal(1, await new AuthStore(_database).RevokeAsync("Peggy"));

        await using var again = await AuthTestClient.ConnectAsync(server, Client(30), ct);
        Assert.Equal(DialogErrorCodes.SessionInvalid, (await AuthTestClient.ResumeAsync(again, session.Token!, ct)).Code);
    }

    [Theory]
    [InlineData("short", "short", "needs at least 8")]
    [InlineData("Quentin-The-Great", "Quentin-The-Great", "must not be the user name")]
    [InlineData("long enough", "long enuogh", "do not match")]
    public async Task A_weak_new_password_gets_weak_password_and_the_questions_again(string password, string confirmation, string reason)
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(31), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", "quentin-the-great", ct);
        await client.ExpectAsync(DialogTypes.Say, ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "new-password");
        await client.AnswerAsync("new-password", password, ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "confirm-password");

        await client.AnswerAsync("confirm-password", confirmation, ct);

        Assert.Contains(reason, (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.WeakPassword)).Text, StringComparison.Ordinal);
        await client.ExpectAsync(DialogTypes.Ask, ct, "new-password");
        Assert.Null(await new AuthStore(_database).FindUserAsync("quentin-the-great"));
    }

    [Fact]
    public async Task Three_weak_passwords_end_the_registration_with_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(32), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", "rupert", ct);
        await client.ExpectAsync(DialogTypes.Say, ct);

        for (var i = 0; i < 3; i++)
        {
            await client.ExpectAsync(DialogTypes.Ask, ct, "new-password");
            await client.AnswerAsync("new-password", "weak", ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "confirm-password");
            await client.AnswerAsync("confirm-password", "weak", ct);
            await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.WeakPassword);
        }

        Assert.Contains("No acceptable password in 3 tries", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_user_name_gets_invalid_name_and_the_question_again()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(33), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");

        await client.AnswerAsync("username", "no spaces please", ct);

        Assert.Contains("only letters, digits", (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.InvalidName)).Text, StringComparison.Ordinal);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_resume_with_a_token_never_issued_gets_session_invalid_then_the_login(string token)
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(34), ct);

        var refused = await AuthTestClient.ResumeAsync(client, token, ct);

        Assert.Equal(DialogErrorCodes.SessionInvalid, refused.Code);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
    }

    [Fact]
    public async Task A_resume_that_is_not_the_first_message_is_a_bad_message()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        var (client, session) = await AuthTestClient.RegisterAsync(server, Client(35), "sybil", "sybils password", ct);
        await using var _ = client;

        await client.SendAsync(DialogMessage.Resume(session.Token!), ct);

        Assert.Contains("only allowed as the first message",
            (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage)).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Token!, string.Join("\n", server.Logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logout_before_signing_in_is_a_bad_message()
    {
        var ct = TestTimeout.Token();
        await using var server = StartAuth();
        await using var client = await AuthTestClient.ConnectAsync(server, Client(36), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");

        await client.SendAsync(DialogMessage.Logout(), ct);

        await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
    }

    private Task<long> RegistrationRowsAsync() =>
        _database.ReadAsync(connection => Sql.Scalar(connection, null, "SELECT count(*) FROM auth_registrations"));

    private Task<long> ThrottleRowsAsync() =>
        _database.ReadAsync(connection => Sql.Scalar(connection, null, "SELECT count(*) FROM auth_throttle"));

    /// <summary>Fails to sign in <paramref name="times"/> times on one connection; the third failure closes it.</summary>
    private static async Task FailAsync(LoopbackServer server, IPAddress from, string user, int times, CancellationToken ct)
    {
        await using var client = await AuthTestClient.ConnectAsync(server, from, ct);
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(DialogErrorCodes.LoginFailed, (await AuthTestClient.TryLoginAsync(client, user, $"wrong {i}", ct)).Code);
        }

        if (times >= 3)
        {
            Assert.Equal(DialogTypes.Bye, (await client.ReceiveAsync(ct))!.Type);
        }
    }
}
