using Parley.Dialog;
using Parley.Identity;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Auth;

/// <summary>Sessions: resuming by token, logging out, marking use, and pruning expired ones.</summary>
public sealed partial class AuthHandler
{
    private async Task<bool> ResumeAsync(Client client, string token)
    {
        var connection = client.Connection;
        string reason;
        if (!SessionTokens.TryHash(token, out var hash))
        {
            reason = "not the shape of a session token";
        }
        else
        {
            var (newToken, newHash) = SessionTokens.Create();
            var (outcome, grant) = await _store.ResumeAsync(hash, newHash, connection.RemoteEndPoint.Address, _options.Sessions, _time.GetUtcNow())
                .ConfigureAwait(false);
            if (outcome == ResumeOutcome.Resumed && grant is not null)
            {
                AuthMetrics.Resume(success: true);
                AuthLog.Resumed(_logger, connection.Id, client.Address, grant.User);
                client.SignedIn(grant.User, newHash);
                await client.Dialog.SendAsync(DialogMessage.Session(newToken, grant.User, grant.Expires)).ConfigureAwait(false);
                await client.Dialog.SendAsync(DialogMessage.Say($"Welcome back, {grant.User}: your session is resumed.")).ConfigureAwait(false);
                return true;
            }

            reason = outcome switch
            {
                ResumeOutcome.IdleExpired => "expired: unused for too long",
                ResumeOutcome.LifetimeExpired => "expired: past its lifetime",
                _ => "unknown, revoked, logged out, or already replaced",
            };
        }

        AuthMetrics.Resume(success: false);
        AuthLog.SessionRefused(_logger, connection.Id, client.Address, reason);
        await client.Dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.SessionInvalid,
            "The session is no longer valid (expired, revoked or unknown): sign in with your password.")).ConfigureAwait(false);
        return false;
    }

    private async ValueTask<bool> LogoutAsync(Client client, DialogMessage message)
    {
        if (!message.Is(DialogTypes.Logout) || client.TokenHash is not { } hash)
        {
            return false;
        }

        await _store.EndSessionAsync(hash).ConfigureAwait(false);
        client.LoggedOut();
        AuthLog.LoggedOut(_logger, client.Connection.Id, client.Address, client.User!);
        await client.Dialog.ByeAsync($"You are logged out, {client.User}: your session token no longer works. Goodbye.", CloseReason.Completed)
            .ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Deletes expired sessions and stale failure counts at most every ten minutes, after a password was checked (slow
    /// anyway). Failures prune too: otherwise guesses from ever new addresses would grow the database until somebody
    /// signed in.
    /// </summary>
    private async Task PruneNowAndThenAsync(Client client)
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPrune);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute * 10 || Interlocked.CompareExchange(ref _lastPrune, now.UtcTicks, last) != last)
        {
            return;
        }

        try
        {
            var pruned = await _store.PruneAsync(_options.Sessions, now).ConfigureAwait(false);
            if (pruned > 0)
            {
                AuthLog.Pruned(_logger, pruned);
            }
        }
        catch (ParleyDatabaseException e) when (e.IsUnavailable)
        {
            // The database logs the outage once; the next check tries again.
        }
        catch (ParleyDatabaseException e)
        {
            // Housekeeping: the answer to this client does not depend on it, and the next check tries again.
            StorageMetrics.StoreError(ServiceName);
            AuthLog.StoreFailed(_logger, client.Connection.Id, client.Address, "pruning expired sessions: " + e.Message);
        }
    }

    private async Task TouchAsync(Client client)
    {
        if (client.TokenHash is not { } hash)
        {
            return;
        }

        try
        {
            await _store.TouchSessionAsync(hash, _time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (ParleyDatabaseException e) when (e.IsUnavailable)
        {
            // The database logs the outage once; the session's idle time then counts from its last sign-in.
        }
        catch (ParleyDatabaseException e)
        {
            StorageMetrics.StoreError(ServiceName);
            AuthLog.StoreFailed(_logger, client.Connection.Id, client.Address, e.Message);
        }
    }

    /// <summary>One connection's state: who signed in, with which session.</summary>
    private sealed class Client(ServerConnection connection, DialogSession dialog)
    {
        public ServerConnection Connection { get; } = connection;

        public DialogSession Dialog { get; } = dialog;

        public string Address { get; } = ClientStore.Key(connection.RemoteEndPoint.Address);

        public string? User { get; private set; }

        public byte[]? TokenHash { get; private set; }

        public void SignedIn(string user, byte[] tokenHash)
        {
            User = user;
            TokenHash = tokenHash;
        }

        public void LoggedOut() => TokenHash = null;
    }
}
