using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Net;
using Parley.Shared;

namespace Parley.Tcp;

/// <summary>
/// Connects to a host by name: every address the name resolves to is tried in the resolver's order, each within
/// the time limit, and the failure, if all fail, is one clear <see cref="ConnectException"/>.
/// </summary>
public static class TcpConnector
{
    /// <summary>
    /// Resolves <paramref name="host"/>, connects to the first address that answers and, when
    /// <see cref="ConnectOptions.Tls"/> is set, puts the connection in TLS.
    /// </summary>
    /// <exception cref="ConnectException">No address could be reached, or the name does not resolve.</exception>
    /// <exception cref="Tls.TlsException">The TLS handshake failed or the server's certificate is not trusted.</exception>
    public static async Task<ClientConnection> ConnectAsync(
        string host, int port, ConnectOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        options ??= new ConnectOptions();
        var addresses = await ResolveAsync(host, port, options.AddressFamily, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(host, addresses, port, options, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to the first of <paramref name="addresses"/> (already resolved from <paramref name="host"/>) that
    /// answers, trying them in the order given (the host name is only used in messages and for TLS), and, when
    /// <see cref="ConnectOptions.Tls"/> is set, puts the connection in TLS.
    /// </summary>
    /// <exception cref="ConnectException">No address could be reached.</exception>
    /// <exception cref="Tls.TlsException">The TLS handshake failed or the server's certificate is not trusted.</exception>
    internal static async Task<ClientConnection> ConnectAsync(
        string host, IReadOnlyList<IPAddress> addresses, int port, ConnectOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count);
        options ??= new ConnectOptions();
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var connection = await ConnectTcpAsync(host, addresses, port, options, logger, cancellationToken).ConfigureAwait(false);
        if (options.Tls is { } tls)
        {
            try
            {
                await tls.ApplyAsync(connection, logger, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }

    private static async Task<ClientConnection> ConnectTcpAsync(
        string host, IReadOnlyList<IPAddress> addresses, int port, ConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var target = HostPort.Format(host, port);

        var failures = new List<(IPAddress Address, ConnectFailure Failure, string Words, Exception Error)>();
        foreach (var address in addresses)
        {
            if (options.LocalAddress is { } source && source.AddressFamily != address.AddressFamily)
            {
                // An IPv4 source cannot reach an IPv6 address, nor the other way round: not an address to try.
                var words = $"the source address {source} is of the other family";
                failures.Add((address, ConnectFailure.Other, words, new SocketException((int)SocketError.AddressFamilyNotSupported)));
                continue;
            }

            var socket = options.NewSocket(address.AddressFamily);
            socket.NoDelay = true;
            try
            {
                if (options.LocalAddress is { } local)
                {
                    Bind(socket, local, target);
                }

                TcpLog.Connecting(logger, target, new IPEndPoint(address, port));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Timeout);
                try
                {
                    await socket.ConnectAsync(address, port, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException(null, e);
                }

                var connection = new ClientConnection(socket, host, port);
                TcpLog.Connected(logger, target, connection.RemoteEndPoint);
                return connection;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                socket.Dispose();
                var (failure, words) = Classify(e, options.Timeout);
                failures.Add((address, failure, words, e));
                if (failures.Count < addresses.Count)
                {
                    TcpLog.ConnectAttemptFailed(logger, new IPEndPoint(address, port), words);
                }
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var last = failures[^1];
        var reason = failures.Select(f => f.Failure).Distinct().Count() == 1
            ? last.Words
            : string.Join("; ", failures.Select(f => $"{f.Address}: {f.Words}"));
        throw new ConnectException($"cannot connect to {target}: {reason}", last.Failure, Hint(last.Failure, port), last.Error);
    }

    private static void Bind(Socket socket, IPAddress local, string target)
    {
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
        }
        catch (SocketException e)
        {
            throw new ConnectException($"cannot connect to {target} from {local}: {e.Message}", ConnectFailure.Other,
                "the source address must be one of this machine's addresses, with a port free to use", e);
        }
    }

    /// <summary>What to check for each kind of failure, in words for a person.</summary>
    internal static string Hint(ConnectFailure failure, int port) => failure switch
    {
        ConnectFailure.Refused => $"the host answered, but nothing is listening on port {port}: is the server running, on this port and this address?",
        ConnectFailure.TimedOut => "no answer at all: the host may be down, or a firewall may be dropping the packets",
        ConnectFailure.NoRoute => "the network has no way to the host: check the address, the network link, routes and VPN",
        ConnectFailure.Reset => "something answered with a reset: a firewall rejecting the port, or a server refusing clients",
        ConnectFailure.UnknownHost => "check the spelling of the name and the DNS settings, or use an IP address",
        _ => "check the address, the port and the network",
    };

    /// <summary>
    /// The addresses <paramref name="host"/> resolves to, in the resolver's order (an address literal is itself),
    /// only of <paramref name="family"/> when given.
    /// </summary>
    /// <exception cref="ConnectException">The name does not resolve, or has no address of the family.</exception>
    internal static async Task<IPAddress[]> ResolveAsync(string host, int port, AddressFamily? family = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var target = HostPort.Format(host, port);
        if (IPAddress.TryParse(host, out var literal))
        {
            if (family is { } f && literal.AddressFamily != f)
            {
                throw new ConnectException($"cannot connect to {target}: {host} is not an {FamilyName(f)} address",
                    ConnectFailure.Other, "drop -4/-6 or give an address of the other family");
            }

            return [literal];
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, family ?? AddressFamily.Unspecified, cancellationToken)
                .ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.NoData);
            }

            return addresses;
        }
        catch (SocketException e)
        {
            // Resolvers differ in how they say "the name exists, but not in this family": ask again without it.
            var otherFamilyOnly = family is not null
                && (e.SocketErrorCode == SocketError.NoData || await HasAnyAddressAsync(host, cancellationToken).ConfigureAwait(false));
            var words = otherFamilyOnly
                ? $"unknown host {host}: it has no {FamilyName(family!.Value)} address"
                : $"unknown host {host}: {e.Message}";
            throw new ConnectException($"cannot connect to {target}: {words}", ConnectFailure.UnknownHost,
                otherFamilyOnly ? "drop -4/-6 to use the addresses it has" : Hint(ConnectFailure.UnknownHost, 0), e);
        }
    }

    private static async Task<bool> HasAnyAddressAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return (await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false)).Length > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (ConnectFailure, string) Classify(Exception e, TimeSpan timeout) => e switch
    {
        TimeoutException => (ConnectFailure.TimedOut, $"timed out after {Durations.Format(timeout)}"),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => (ConnectFailure.Refused, "connection refused"),
        SocketException { SocketErrorCode: SocketError.TimedOut } => (ConnectFailure.TimedOut, "timed out"),
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => (ConnectFailure.NoRoute, "no route to host"),
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } => (ConnectFailure.NoRoute, "network unreachable"),
        SocketException { SocketErrorCode: SocketError.HostDown } => (ConnectFailure.NoRoute, "host is down"),
        SocketException { SocketErrorCode: SocketError.NetworkDown } => (ConnectFailure.NoRoute, "network is down"),
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => (ConnectFailure.Reset, "connection reset"),
        SocketException s => (ConnectFailure.Other, s.Message),
        _ => (ConnectFailure.Other, e.Message),
    };

    private static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
