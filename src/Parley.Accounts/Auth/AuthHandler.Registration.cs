using System.Globalization;
using Parley.Dialog;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Auth;

/// <summary>Registration of new users, and hashing on the pool.</summary>
public sealed partial class AuthHandler
{
    private async Task<Attempt> RegisterAsync(Client client, string name)
    {
        var connection = client.Connection;
        var dialog = client.Dialog;
        if (await RefuseIfRegistrationLimitedAsync(client, name,
            await _store.RegistrationRetryAfterAsync(connection.RemoteEndPoint.Address, _options.RegistrationsPerHour, _time.GetUtcNow()).ConfigureAwait(false))
            .ConfigureAwait(false))
        {
            return Attempt.Ended;
        }

        await dialog.SendAsync(DialogMessage.Say(string.Create(CultureInfo.InvariantCulture,
            $"There is no account named {name} yet: a new one will be made. Choose a password of {PasswordPolicy.MinLength} to {PasswordPolicy.MaxLength} characters, other than the user name.")))
            .ConfigureAwait(false);
        for (var attempt = 1; attempt <= _options.Tries; attempt++)
        {
            var password = await dialog.AskAsync("new-password", "New password:", secret: true).ConfigureAwait(false);
            if (password is null)
            {
                return Attempt.Ended;
            }

            var confirmation = await dialog.AskAsync("confirm-password", "The same password again:", secret: true).ConfigureAwait(false);
            if (confirmation is null)
            {
                return Attempt.Ended;
            }

            var problem = PasswordPolicy.Check(name, password.Text!, confirmation.Text!);
            if (problem is not null)
            {
                AuthLog.WeakPassword(_logger, connection.Id, client.Address, problem, attempt, _options.Tries);
                await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.WeakPassword, Capitalise(problem) + ".")).ConfigureAwait(false);
                continue;
            }

            var text = password.Text!;
            var (hashed, hash) = await HashAsync(client, HashingPurpose.Registration, () => _hasher.Hash(text)).ConfigureAwait(false);
            if (!hashed)
            {
                return Attempt.Ended;
            }

            var (created, wait) = await _store.RegisterAsync(name, hash, connection.RemoteEndPoint.Address, _options.RegistrationsPerHour, _time.GetUtcNow())
                .ConfigureAwait(false);
            if (await RefuseIfRegistrationLimitedAsync(client, name, wait).ConfigureAwait(false))
            {
                return Attempt.Ended;
            }

            if (!created)
            {
                await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.InvalidName,
                    $"The user name {name} was just taken by someone else; choose another.")).ConfigureAwait(false);
                return Attempt.InvalidName;
            }

            AuthMetrics.Registered();
            AuthLog.Registered(_logger, connection.Id, client.Address, name);
            var (token, tokenHash) = SessionTokens.Create();
            // No throttle keys: a new account has no lockout, so the grant always comes.
            var (_, grant) = await _store.SignInAsync(name, connection.RemoteEndPoint.Address, tokenHash, _options.Sessions, _time.GetUtcNow(), [])
                .ConfigureAwait(false);
            client.SignedIn(grant!.User, tokenHash);
            await dialog.SendAsync(DialogMessage.Session(token, grant.User, grant.Expires)).ConfigureAwait(false);
            await dialog.SendAsync(DialogMessage.Say($"Welcome, {grant.User}: your account is made and you are signed in.")).ConfigureAwait(false);
            return Attempt.SignedIn;
        }

        AuthLog.GaveUp(_logger, connection.Id, client.Address, $"no acceptable new password in {_options.Tries} tries");
        await dialog.ByeAsync($"No acceptable password in {_options.Tries} tries: closing the connection.", CloseReason.Completed)
            .ConfigureAwait(false);
        return Attempt.Ended;
    }

    /// <summary>When the address registered its limit of accounts in the last hour, says so with <c>throttled</c> and <c>bye</c>.</summary>
    private async Task<bool> RefuseIfRegistrationLimitedAsync(Client client, string name, int wait)
    {
        if (wait <= 0)
        {
            return false;
        }

        AuthLog.RegistrationLimited(_logger, client.Connection.Id, client.Address, name, _options.RegistrationsPerHour, wait);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Too many new accounts from your address: try again in {Durations.Format(TimeSpan.FromSeconds(wait))}.");
        await client.Dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Throttled, text, wait)).ConfigureAwait(false);
        await client.Dialog.ByeAsync("Closing the connection.", CloseReason.Completed).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Runs a hash on the pool, in this client address's turn; when the queue (or this address's share of it, or the
    /// registrations' share) is full, tells the client <c>busy</c>, says bye, and returns not done.
    /// </summary>
    private async Task<(bool Done, T Value)> HashAsync<T>(Client client, HashingPurpose purpose, Func<T> work)
    {
        if (_pool.TryRun(client.Address, purpose, work, out var result))
        {
            return (true, await result.ConfigureAwait(false));
        }

        if (purpose == HashingPurpose.SignIn)
        {
            AuthMetrics.SignIn("busy");
        }

        AuthLog.Busy(_logger, client.Connection.Id, client.Address, _pool.Queued);
        await client.Dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Busy,
            "The server is busy signing other clients in: try again in a moment.")).ConfigureAwait(false);
        await client.Dialog.ByeAsync("Closing the connection.", CloseReason.Completed).ConfigureAwait(false);
        return (false, default!);
    }
}
