using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Dialog;
using Parley.Shared;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Identity;

/// <summary>
/// The identification service: greets a client it knows by IP address by name, with its visit count and when it
/// was last seen; asks a new client its name and stores it durably before confirming; then echoes the
/// conversation. Speaks the dialog protocol (docs/protocol.md).
/// </summary>
public sealed class IdentHandler : ITcpConnectionHandler
{
    private static readonly IReadOnlySet<string> ClientTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        DialogTypes.Answer,
        DialogTypes.Message,
    };

    private readonly ClientStore _store;
    private readonly IdentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _dialogLogger;
    private long _lastBusyLog;
    private int _busyRefusals;

    /// <summary>Creates the handler, keeping what it learns in <paramref name="database"/>.</summary>
    public IdentHandler(ParleyDatabase database, IdentOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
        : this(new ClientStore(database), options, loggerFactory, timeProvider)
    {
    }

    /// <summary>Creates the handler over <paramref name="store"/>.</summary>
    internal IdentHandler(ClientStore store, IdentOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NameTries, 1);
        _store = store;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("Parley.Identity");
        _dialogLogger = loggerFactory.CreateLogger("Parley.Dialog");
    }

    /// <inheritdoc />
    public string ServiceName => "ident";

    /// <inheritdoc />
    public string DescribeSettings() =>
        $"dialog protocol version {DialogProtocol.Version}, {_options.NameTries} tries for a name of at most {NameRules.MaxLength} characters, " +
        (_store.MaxWaitingWrites > 0 ? $"at most {_store.MaxWaitingWrites} database writes waiting ({Math.Max(1, _store.MaxWaitingWrites / 4)} per address)" : "database writes waiting without limit");

    /// <inheritdoc />
    public async Task HandleAsync(ServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var dialog = new DialogSession(connection, _dialogLogger, ClientTypes);
        await dialog.SendAsync(DialogMessage.Hello(ServiceName, _store.ServiceId)).ConfigureAwait(false);
        var address = ClientStore.Key(connection.RemoteEndPoint.Address);
        try
        {
            var name = await IdentifyAsync(dialog, address).ConfigureAwait(false);
            if (name is null)
            {
                return;
            }

            await dialog.ConverseAsync(
                "Send messages and each comes back; exit ends the conversation.",
                $"Goodbye, {name}.").ConfigureAwait(false);
        }
        catch (ParleyDatabaseException e) when (e.IsBusy)
        {
            var now = _time.GetTimestamp();
            var last = Interlocked.Read(ref _lastBusyLog);
            Interlocked.Increment(ref _busyRefusals);
            if (_time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastBusyLog, now, last) == last)
            {
                // At most once a second: a flood must not turn into a flood of log lines.
                IdentLog.Busy(_logger, connection.Id, address, Interlocked.Exchange(ref _busyRefusals, 0));
            }

            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.Busy,
                "The server is busy storing other clients' visits: try again in a moment.")).ConfigureAwait(false);
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
            StorageMetrics.StoreError(ServiceName);
            IdentLog.StoreFailed(_logger, connection.Id, address, e.Message);
            await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.ServerError,
                "The server could not read or store client names just now; please try again later.")).ConfigureAwait(false);
            await dialog.ByeAsync("Closing the connection.", CloseReason.Error).ConfigureAwait(false);
        }
    }

    private async Task<string?> IdentifyAsync(DialogSession dialog, string address)
    {
        var connection = dialog.Connection;
        var (gone, visit) = await _store.VisitUnlessGoneAsync(connection.RemoteEndPoint.Address, _time.GetUtcNow(), () => HasLeft(connection))
            .ConfigureAwait(false);
        if (gone)
        {
            IdentLog.LeftBeforeGreeting(_logger, connection.Id, address);
            connection.SetCloseReason(CloseReason.ClosedByClient);
            return null;
        }

        if (visit is { Client: var known })
        {
            IdentLog.Recognised(_logger, connection.Id, address, known.Name, known.Visits);
            await dialog.SendAsync(DialogMessage.Say(WelcomeBack(visit))).ConfigureAwait(false);
            return known.Name;
        }

        IdentLog.Unknown(_logger, connection.Id, address);
        for (var attempt = 1; attempt <= _options.NameTries; attempt++)
        {
            var answer = await dialog.AskAsync("name", "What is your name?").ConfigureAwait(false);
            if (answer is null)
            {
                return null;
            }

            var name = NameRules.Check(answer.Text, out var reason);
            if (name is null)
            {
                IdentLog.NameRejected(_logger, connection.Id, address, reason, attempt, _options.NameTries);
                await dialog.SendAsync(DialogMessage.Error(DialogErrorCodes.InvalidName, Capitalise(reason) + ".")).ConfigureAwait(false);
                continue;
            }

            // Stored and committed before the greeting that confirms it.
            var named = await _store.NameUnlessGoneAsync(connection.RemoteEndPoint.Address, name, _time.GetUtcNow(), () => HasLeft(connection))
                .ConfigureAwait(false);
            if (named is null)
            {
                IdentLog.LeftBeforeGreeting(_logger, connection.Id, address);
                connection.SetCloseReason(CloseReason.ClosedByClient);
                return null;
            }

            var (client, stored) = named.Value;
            if (stored)
            {
                IdentLog.Named(_logger, connection.Id, address, client.Name);
                await dialog.SendAsync(DialogMessage.Say(
                    $"Nice to meet you, {client.Name}. I will know you by your address {address} from now on.")).ConfigureAwait(false);
            }
            else
            {
                IdentLog.NamedConcurrently(_logger, connection.Id, address, name, client.Name);
                await dialog.SendAsync(DialogMessage.Say(
                    $"Hello, {client.Name}: another connection from {address} gave that name a moment ago.")).ConfigureAwait(false);
            }

            return client.Name;
        }

        IdentLog.NoValidName(_logger, connection.Id, address, _options.NameTries);
        await dialog.ByeAsync($"No valid name in {_options.NameTries} tries: closing the connection.", CloseReason.Completed)
            .ConfigureAwait(false);
        return null;
    }

    private string WelcomeBack(ClientVisit visit)
    {
        var client = visit.Client;
        var ago = _time.GetUtcNow() - visit.PreviousVisit;
        var when = visit.PreviousVisit.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"Welcome back, {client.Name}! This is visit number {client.Visits}; you were last seen {when} ({Durations.Format(ago < TimeSpan.Zero ? TimeSpan.Zero : ago)} ago).");
    }

    /// <summary>
    /// Whether the client has closed its side (or the connection broke): the socket reads as ready with nothing to
    /// read. Bytes the client sent before leaving count as being there.
    /// </summary>
    private static bool HasLeft(ServerConnection connection)
    {
        try
        {
            return connection.Socket.Poll(0, SelectMode.SelectRead) && connection.Socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
