using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Parley.Dialog;
using Parley.Shared;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Auth;

/// <summary>
/// The authentication service: signs a client in by session token (<c>resume</c>) or by user name and password,
/// registers new users while registration is open, throttles repeated failures per account and per address, and
/// then echoes the conversation until <c>exit</c>, <c>stop</c> or <c>logout</c>. Speaks the dialog protocol with the
/// authentication additions (docs/protocol.md). Passwords are hashed with Argon2id on the
/// <see cref="PasswordHashingPool"/>, never on the connection's own thread.
/// </summary>
public sealed partial class AuthHandler : ITcpConnectionHandler
{
    private const string FailedText = "Invalid user name or password.";

    private static readonly IReadOnlySet<string> ClientTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        DialogTypes.Answer,
        DialogTypes.Message,
        DialogTypes.Resume,
        DialogTypes.Logout,
    };

    private readonly AuthStore _store;
    private readonly AuthOptions _options;
    private readonly PasswordHasher _hasher;
    private readonly PasswordHashingPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _dialogLogger;
    private readonly string _dummyHash;
    private long _lastPrune;

    /// <summary>
    /// Creates the handler, keeping accounts and sessions in <paramref name="database"/> and hashing passwords on
    /// <paramref name="pool"/> (Argon2id, OWASP's parameters). It makes one password hash at once: the dummy that
    /// unknown users are checked against.
    /// </summary>
    public AuthHandler(ParleyDatabase database, AuthOptions options, PasswordHashingPool pool, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
        : this(new AuthStore(database), options, new PasswordHasher(), pool, loggerFactory, timeProvider)
    {
    }

    /// <summary>Creates the handler. It makes one password hash at once: the dummy that unknown users are checked against.</summary>
    internal AuthHandler(
        AuthStore store, AuthOptions options, PasswordHasher hasher, PasswordHashingPool pool, ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LoginTries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tries, 1);
        _store = store;
        _options = options;
        _hasher = hasher;
        _pool = pool;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("Parley.Auth");
        _dialogLogger = loggerFactory.CreateLogger("Parley.Dialog");

        // Checking an unknown user's password against this costs what checking a real one does.
        _dummyHash = hasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
    }

    /// <inheritdoc />
    public string ServiceName => "auth";

    /// <inheritdoc />
    public string DescribeSettings() =>
        $"dialog protocol version {DialogProtocol.Version}, registration {(!_options.AllowRegistration ? "closed" : _options.RegistrationsPerHour > 0 ? $"open (at most {_options.RegistrationsPerHour} per address an hour)" : "open")}, " +
        $"sessions expire after {Durations.Format(_options.Sessions.Idle)} idle and {Durations.Format(_options.Sessions.Lifetime)} in all, " +
        $"Argon2id {_hasher.Settings} on {_pool.Workers} hashing threads with a queue of {_pool.QueueLength} " +
        $"({_pool.MaxQueuedPerAddress} per address, {_pool.MaxQueuedRegistrations} for registrations)";

    /// <inheritdoc />
    public async Task HandleAsync(ServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var dialog = new DialogSession(connection, _dialogLogger, ClientTypes);
        var client = new Client(connection, dialog);
        await dialog.SendAsync(DialogMessage.Hello(ServiceName, _store.ServiceId)).ConfigureAwait(false);
        try
        {
            if (!await SignInAsync(client).ConfigureAwait(false))
            {
                return;
            }

            await dialog.ConverseAsync(
                "Send messages and each comes back; exit ends the conversation, logout ends your session.",
                $"Goodbye, {client.User}.",
                message => LogoutAsync(client, message)).ConfigureAwait(false);
        }
        catch (ParleyDatabaseException e) when (e.IsBusy)
        {
            AuthMetrics.SignIn("busy");
            AuthLog.Busy(_logger, connection.Id, client.Address, _pool.Queued);
            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Busy,
                "The server is busy signing other clients in: try again in a moment.")).ConfigureAwait(false);
            await dialog.ByeAsync("Closing the connection.", CloseReason.Completed).ConfigureAwait(false);
        }
        catch (ParleyDatabaseException e) when (e.IsUnavailable)
        {
            // The database logs the outage once; each client is only told.
            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Unavailable,
                "The server cannot reach its database; try again later.")).ConfigureAwait(false);
            await dialog.ByeAsync("Closing the connection.", CloseReason.Error).ConfigureAwait(false);
        }
        catch (ParleyDatabaseException e)
        {
            AuthMetrics.SignIn("unavailable");
            StorageMetrics.StoreError(ServiceName);
            AuthLog.StoreFailed(_logger, connection.Id, client.Address, e.Message);
            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.ServerError,
                "The server could not read or store accounts just now; please try again later.")).ConfigureAwait(false);
            await dialog.ByeAsync("Closing the connection.", CloseReason.Error).ConfigureAwait(false);
        }
        finally
        {
            await TouchAsync(client).ConfigureAwait(false);
        }
    }

    private async Task<bool> SignInAsync(Client client)
    {
        var dialog = client.Dialog;
        // With registration closed, a stranger behind the same address (a shared NAT) must not learn who signs in here.
        var lastUser = _options.AllowRegistration
            ? await _store.LastUserAsync(client.Connection.RemoteEndPoint.Address).ConfigureAwait(false)
            : null;
        var reply = await AskUserNameAsync(dialog, lastUser).ConfigureAwait(false);
        if (reply is not null && reply.Is(DialogTypes.Resume))
        {
            if (await ResumeAsync(client, reply.Token!).ConfigureAwait(false))
            {
                return true;
            }

            reply = await AskUserNameAsync(dialog, lastUser).ConfigureAwait(false);
        }

        int badNames = 0, failures = 0;
        while (reply is not null)
        {
            switch (await PasswordSignInAsync(client, reply.Text!).ConfigureAwait(false))
            {
                case Attempt.SignedIn:
                    return true;
                case Attempt.Ended:
                    return false;
                case Attempt.InvalidName when ++badNames >= _options.Tries:
                    AuthLog.GaveUp(_logger, client.Connection.Id, client.Address, $"no valid user name in {badNames} tries");
                    await dialog.ByeAsync($"No valid user name in {badNames} tries: closing the connection.", CloseReason.Completed)
                        .ConfigureAwait(false);
                    return false;
                case Attempt.Failed when ++failures >= _options.LoginTries:
                    AuthLog.GaveUp(_logger, client.Connection.Id, client.Address, $"{failures} failed sign-ins");
                    await dialog.ByeAsync($"{failures} failed sign-ins: closing the connection.", CloseReason.Completed)
                        .ConfigureAwait(false);
                    return false;
            }

            reply = await AskUserNameAsync(dialog, lastUser).ConfigureAwait(false);
        }

        return false;
    }

    private static ValueTask<DialogMessage?> AskUserNameAsync(DialogSession dialog, string? lastUser) =>
        dialog.AskAsync("username", "User name:", secret: false, defaultAnswer: lastUser);

    private async Task<Attempt> PasswordSignInAsync(Client client, string answer)
    {
        var connection = client.Connection;
        var dialog = client.Dialog;
        var name = UserNameRules.Check(answer, out var reason);
        if (name is null)
        {
            AuthLog.InvalidUserName(_logger, connection.Id, client.Address, reason);
            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.InvalidName, Capitalise(reason) + ".")).ConfigureAwait(false);
            return Attempt.InvalidName;
        }

        var keys = AuthStore.LockKeys(name, connection.RemoteEndPoint.Address);
        if (await RefuseIfThrottledAsync(client, name, keys).ConfigureAwait(false))
        {
            return Attempt.Ended;
        }

        var user = await _store.FindUserAsync(name).ConfigureAwait(false);
        if (user is null && _options.AllowRegistration)
        {
            return await RegisterAsync(client, name).ConfigureAwait(false);
        }

        var password = await dialog.AskAsync("password", "Password:", secret: true).ConfigureAwait(false);
        if (password is null)
        {
            return Attempt.Ended;
        }

        // The lockout may have begun while this client typed: otherwise every connection held open at this question
        // would get one guess past it.
        if (await RefuseIfThrottledAsync(client, name, keys).ConfigureAwait(false))
        {
            return Attempt.Ended;
        }

        // An unknown user (registration closed) is checked against the dummy hash: same work, same time, same answer.
        var stored = user?.PasswordHash ?? _dummyHash;
        var text = password.Text!;
        var (done, check) = await HashAsync(client, HashingPurpose.SignIn, () => _hasher.Verify(text, stored)).ConfigureAwait(false);
        if (!done)
        {
            return Attempt.Ended;
        }

        if (user is not null && check != PasswordCheck.Invalid)
        {
            var (token, hash) = SessionTokens.Create();
            var (wait, grant) = await _store.SignInAsync(user.Name, connection.RemoteEndPoint.Address, hash, _options.Sessions, _time.GetUtcNow(), keys)
                .ConfigureAwait(false);
            if (grant is null)
            {
                // Locked out while this password was checked (guesses on other connections): refused like any other
                // attempt during a lockout, after the same work, without telling whether this one was right.
                await RefuseAsync(client, name, wait).ConfigureAwait(false);
                return Attempt.Ended;
            }

            if (check == PasswordCheck.ValidNeedsUpgrade)
            {
                await UpgradeHashAsync(client, user, text).ConfigureAwait(false);
            }

            AuthMetrics.SignIn("success");
            AuthLog.SignedIn(_logger, connection.Id, client.Address, grant.User);
            await PruneNowAndThenAsync(client).ConfigureAwait(false);
            client.SignedIn(grant.User, hash);
            await dialog.SendAsync(DialogMessage.Session(token, grant.User, grant.Expires)).ConfigureAwait(false);
            await dialog.SendAsync(DialogMessage.Say(Welcome(user))).ConfigureAwait(false);
            return Attempt.SignedIn;
        }

        var failure = await _store.RecordFailureAsync(name, connection.RemoteEndPoint.Address, _time.GetUtcNow()).ConfigureAwait(false);
        foreach (var (key, state) in failure.Locks)
        {
            if (state.Failures >= _store.Throttle.MaxFailures)
            {
                AuthLog.LockedOut(_logger, key, Durations.Format(state.LockedUntil - state.LastFailure), state.Failures, connection.Id, client.Address);
            }
        }

        if (failure.RetryAfter > 0)
        {
            await RefuseAsync(client, name, failure.RetryAfter).ConfigureAwait(false);
            return Attempt.Ended;
        }

        if (failure.Delay > TimeSpan.Zero)
        {
            // The account is being guessed at, maybe from many addresses: its failing answers come slowly, one at a
            // time, instead of locking its owner out.
            AuthLog.SlowedDown(_logger, connection.Id, client.Address, name, failure.AccountFailures, Durations.Format(failure.Delay));
            try
            {
                await Task.Delay(failure.Delay, _time, connection.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (connection.Stopping.IsCancellationRequested)
            {
                await dialog.TryByeAsync("The server is stopping. Goodbye.", CloseReason.ServerStopping).ConfigureAwait(false);
                return Attempt.Ended;
            }
        }

        AuthMetrics.SignIn("wrong_password");
        AuthLog.LoginFailed(_logger, connection.Id, client.Address, name, user is null ? "no such user" : "wrong password");
        await PruneNowAndThenAsync(client).ConfigureAwait(false);
        await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.LoginFailed, FailedText)).ConfigureAwait(false);
        return Attempt.Failed;
    }

    private async Task<bool> RefuseIfThrottledAsync(Client client, string name, string[] keys)
    {
        var wait = await _store.RetryAfterAsync(keys, _time.GetUtcNow()).ConfigureAwait(false);
        if (wait <= 0)
        {
            return false;
        }

        await RefuseAsync(client, name, wait).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Stores the password again under the current settings once its sign-in is granted: hashing it before would
    /// make a right password slower to refuse than a wrong one during a lockout. Skipped when the hashing pool is
    /// full; the next sign-in tries again.
    /// </summary>
    private async Task UpgradeHashAsync(Client client, UserRecord user, string password)
    {
        if (!_pool.TryRun(client.Address, HashingPurpose.Registration, () => _hasher.Hash(password), out var hashing))
        {
            return;
        }

        try
        {
            if (await _store.UpgradeHashAsync(user.Name, user.PasswordHash, await hashing.ConfigureAwait(false)).ConfigureAwait(false)
                && PhcHash.TryParse(user.PasswordHash, out var old))
            {
                AuthLog.HashUpgraded(_logger, user.Name, old.Settings.ToString(), _hasher.Settings.ToString());
            }
        }
        catch (ParleyDatabaseException e)
        {
            // The sign-in is granted already; the old hash still works, and the next sign-in tries again.
            StorageMetrics.StoreError(ServiceName);
            AuthLog.StoreFailed(_logger, client.Connection.Id, client.Address, "upgrading the password hash: " + e.Message);
        }
    }

    private async Task RefuseAsync(Client client, string name, int wait)
    {
        AuthMetrics.SignIn("throttled");
        AuthLog.Throttled(_logger, client.Connection.Id, client.Address, name, wait);
        var text = string.Create(CultureInfo.InvariantCulture, $"Too many failed sign-ins: try again in {wait} seconds.");
        await client.Dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Throttled, text, wait)).ConfigureAwait(false);
        await client.Dialog.ByeAsync("Closing the connection.", CloseReason.Completed).ConfigureAwait(false);
    }

    private static string Welcome(UserRecord user) => user.LastSignIn is { } last
        ? $"Welcome, {user.Name}! You last signed in {last.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}."
        : $"Welcome, {user.Name}! This is your first sign-in.";

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private enum Attempt
    {
        SignedIn,
        Failed,
        InvalidName,
        Ended,
    }
}
