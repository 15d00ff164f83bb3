using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Net;
using Parley.Shared;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>Joining: resolving the host, and the <c>/join</c> handshake with each of its addresses in turn.</summary>
public sealed partial class ChatClient
{
    private const string WelcomePrefix = "* you joined as ";

    /// <summary>How the server asks an address to prove it receives its datagrams: the line to send back follows.</summary>
    private const string ChallengePrefix = "? /join ";

    /// <summary>
    /// Resolves <paramref name="host"/> and joins the chat at the first address that answers <c>/join</c>. Over UDP
    /// nothing is connected: an address counts as unreachable when the operating system reports its port closed,
    /// and as silent when no answer comes within <see cref="ChatClientOptions.JoinTimeout"/> (the <c>/join</c> is
    /// sent again every <see cref="ChatClientOptions.JoinRetryInterval"/> meanwhile).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="nickname"/> is not a valid nickname.</exception>
    /// <exception cref="ChatJoinException">No address answered, or the server refused the nickname.</exception>
    public static async Task<ChatClient> JoinAsync(
        string host, int port, string nickname, ChatClientOptions? options = null, ILogger? logger = null,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (Nicknames.Problem(nickname) is { } problem)
        {
            throw new ArgumentException(problem, nameof(nickname));
        }

        options ??= new ChatClientOptions();
        logger ??= NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var target = HostPort.Format(host, port);
        var addresses = await ResolveAsync(host, target, options.AddressFamily, cancellationToken).ConfigureAwait(false);
        var failures = new List<ChatJoinException>();
        foreach (var address in addresses)
        {
            var endPoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                SetReceiveBuffer(socket, options.ReceiveBufferBytes);
                if (options.LocalAddress is { } local)
                {
                    socket.Bind(new IPEndPoint(local, 0));
                }

                // A connected UDP socket hears only this address, and hears the ICMP "port unreachable" it causes.
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                ChatLog.ClientJoining(logger, target, endPoint, nickname);
                var welcome = await HandshakeAsync(socket, target, endPoint, nickname, options, time, logger, cancellationToken)
                    .ConfigureAwait(false);
                return new ChatClient(socket, target, endPoint, welcome, options, logger, time);
            }
            catch (ChatJoinException e) when (e.Failure is ChatJoinFailure.Unreachable or ChatJoinFailure.NoAnswer)
            {
                socket.Dispose();
                failures.Add(e);
                if (failures.Count < addresses.Length)
                {
                    ChatLog.ClientJoinAttemptFailed(logger, endPoint, e.Reason);
                }
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failures.Add(new ChatJoinException($"cannot join the chat at {target}: {e.Message}", ChatJoinFailure.NoAnswer, e.Message, e));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && socket.Connected)
            {
                // Interrupted (Ctrl+C) during the handshake: the server may have taken the /join already. Leave, so that
                // the others are not shown a member who is gone until it times out; a /leave from a stranger is ignored.
                try
                {
                    socket.Send(Encoding.UTF8.GetBytes(Padded("/leave")));
                }
                catch (SocketException)
                {
                    // Nothing to leave: the address is unreachable.
                }

                socket.Dispose();
                throw;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var last = failures[^1];
        if (failures.Count == 1 || failures.All(f => f.Failure == last.Failure))
        {
            throw last;
        }

        var reasons = string.Join("; ", failures.Select((f, i) => $"{addresses[i]}: {f.Reason}"));
        throw new ChatJoinException($"cannot join the chat at {target}: {reasons}", last.Failure, reasons, last);
    }

    /// <summary>What to check for each kind of failure, in words for a person (empty when the server said why).</summary>
    internal static string Hint(ChatJoinFailure failure) => failure switch
    {
        ChatJoinFailure.Unreachable => "is the chat server running, on this port and this address?",
        ChatJoinFailure.NoAnswer => "no answer at all: the host may be down, the server may not be a Parley chat, or a firewall may drop UDP",
        ChatJoinFailure.UnknownHost => "check the spelling of the name and the DNS settings, or use an IP address",
        ChatJoinFailure.TooFast => "this address sent too much, or left and joined again too often: wait a few seconds",
        _ => "",
    };

    private static async Task<string> HandshakeAsync(
        Socket socket, string target, IPEndPoint endPoint, string nickname, ChatClientOptions options, TimeProvider time, ILogger logger,
        CancellationToken cancellationToken)
    {
        var join = Encoding.UTF8.GetBytes(Padded($"/join {nickname}"));
        var buffer = new byte[UdpServer.ReceiveBufferLength];
        var started = time.GetTimestamp();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var remaining = options.JoinTimeout - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new ChatJoinException(
                        $"cannot join the chat at {target}: no answer from {endPoint} within {Durations.Format(options.JoinTimeout)}",
                        ChatJoinFailure.NoAnswer, $"no answer within {Durations.Format(options.JoinTimeout)}");
                }

                // The wait is armed before the datagram leaves: whoever sees the datagram can count on the wait having
                // started (tests drive the clock by hand).
                using var wait = new CancellationTokenSource(remaining < options.JoinRetryInterval ? remaining : options.JoinRetryInterval, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
                if (attempt > 1)
                {
                    ChatLog.ClientJoinRetry(logger, endPoint);
                }

                await socket.SendAsync(join, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                try
                {
                    while (true)
                    {
                        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                        var text = ChatText.StripEnding(Encoding.UTF8.GetString(buffer, 0, received));
                        if (text.StartsWith(WelcomePrefix, StringComparison.Ordinal))
                        {
                            return ChatText.Printable(text);
                        }

                        if (text.StartsWith(ChallengePrefix, StringComparison.Ordinal) && AnswerTo(text, nickname) is { } answer)
                        {
                            // The server asks this address to prove it receives its datagrams: send the line back at
                            // once, and again instead of the bare /join if it is lost.
                            join = Encoding.UTF8.GetBytes(Padded(answer));
                            await socket.SendAsync(join, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        if (text.StartsWith('!'))
                        {
                            var reason = ChatText.Printable(text.TrimStart('!', ' '));
                            var failure = reason.StartsWith("too fast", StringComparison.Ordinal) ? ChatJoinFailure.TooFast : ChatJoinFailure.Refused;
                            throw new ChatJoinException($"cannot join the chat at {target} as {nickname}: {reason}", failure, reason);
                        }

                        // Anything else is a stray datagram from before: wait on.
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // No answer in time: the /join or its answer may have been lost; send it again.
                }
            }
        }
        catch (SocketException e) when (UdpSocketErrors.IsPortUnreachable(e))
        {
            throw new ChatJoinException(
                $"cannot join the chat at {target}: server unreachable: the host reports nothing listening on UDP port {endPoint.Port}",
                ChatJoinFailure.Unreachable, "server unreachable (nothing listening on the port)", e);
        }
    }

    /// <summary>
    /// The <c>/join NICK CODE</c> a challenge asks for, when it is for this nickname and the code has a code's shape;
    /// null for anything else, which is waited past like any stray datagram.
    /// </summary>
    private static string? AnswerTo(string challenge, string nickname)
    {
        var rest = challenge[ChallengePrefix.Length..];
        var space = rest.LastIndexOf(' ');
        return space > 0 && string.Equals(rest[..space], nickname, StringComparison.Ordinal) && JoinChallenge.LooksLikeCode(rest[(space + 1)..])
            ? challenge[2..]
            : null;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, string target, AddressFamily? family, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, family ?? AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.NoData);
        }
        catch (SocketException e)
        {
            throw new ChatJoinException($"cannot join the chat at {target}: unknown host {host}: {e.Message}", ChatJoinFailure.UnknownHost, e.Message, e);
        }
    }

    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        try
        {
            socket.ReceiveBufferSize = bytes;
        }
        catch (SocketException)
        {
            // Best effort: the system's default buffer works, it only drops sooner in a busy chat.
        }
    }
}
