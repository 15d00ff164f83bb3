using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Parley.Udp;

namespace Parley.Chat;

/// <summary>Receiving: what arrives from the server, made safe to show, sorted into events.</summary>
public sealed partial class ChatClient
{
    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[UdpServer.ReceiveBufferLength];
        var closing = _closing.Token;
        while (true)
        {
            int received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, closing).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (UdpSocketErrors.IsPortUnreachable(e))
            {
                Unreachable();
                return;
            }
            catch (SocketException e)
            {
                // No route, network down: say so, and give the network a moment instead of spinning.
                ChatLog.ClientReceiveFailed(_logger, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), closing).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            Interlocked.Exchange(ref _lastHeard, _time.GetTimestamp());
            if (Interlocked.Exchange(ref _silent, 0) == 1)
            {
                ChatLog.ClientServerBack(_logger);
                Publish(ChatEventKind.ServerResponding, $"server responding again ({Target})");
            }

            try
            {
                if (!await OnLineAsync(Decode(buffer.AsSpan(0, received)), received, closing).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return;
            }
        }
    }

    /// <summary>Handles one line from the server; false once the session is over.</summary>
    private async ValueTask<bool> OnLineAsync(string line, int bytes, CancellationToken closing)
    {
        if (Volatile.Read(ref _leaving) == 1)
        {
            return true;
        }

        if (line == "/pong" || line.StartsWith("/pong ", StringComparison.Ordinal))
        {
            if (_pings.TryGetValue(line.Length > 6 ? line[6..] : "", out var ping))
            {
                ping.Pong.TrySetResult(_time.GetElapsedTime(ping.SentAt));
            }

            return true;
        }

        ChatLog.ClientReceived(_logger, bytes);
        if (Array.IndexOf(Forgotten, line) >= 0)
        {
            if (Interlocked.Exchange(ref _rejoining, 1) == 0)
            {
                ChatLog.ClientRejoining(_logger, Nickname);
                Publish(ChatEventKind.Rejoining, $"the server no longer knew this client (restarted, or dropped it after silence): joining again as {Nickname}");
                await SendRawAsync($"/join {Nickname}", log: true, closing).ConfigureAwait(false);
            }

            return true;
        }

        if (Volatile.Read(ref _rejoining) == 1 && line.StartsWith(ChallengePrefix, StringComparison.Ordinal) && AnswerTo(line, Nickname) is { } answer)
        {
            // Joining again, this address proves itself as on the first join.
            await SendRawAsync(answer, log: true, closing).ConfigureAwait(false);
            return true;
        }

        if (NicknameOf(line) is { } joinedAs)
        {
            _nickname = joinedAs;
            Volatile.Write(ref _rejoining, 0);
        }
        else if (Volatile.Read(ref _rejoining) == 1 && line.StartsWith('!'))
        {
            await _events.Writer.WriteAsync(new ChatEvent(ChatEventKind.Message, line), closing).ConfigureAwait(false);
            End(ChatEndReason.MembershipLost, $"could not join again as {Nickname}: {line.TrimStart('!', ' ')}");
            return false;
        }
        else if (RenamedTo(line) is { } renamed)
        {
            _nickname = renamed;
        }

        await _events.Writer.WriteAsync(new ChatEvent(ChatEventKind.Message, line), closing).ConfigureAwait(false);
        if (line == ChatReplies.ServerStopping)
        {
            End(ChatEndReason.ServerStopped, $"the chat server at {Target} stopped");
            return false;
        }

        return true;
    }

    /// <summary>The server's line, made safe to show: invalid UTF-8 and control characters become U+FFFD.</summary>
    private string Decode(ReadOnlySpan<byte> payload)
    {
        var line = ChatText.StripEnding(Encoding.UTF8.GetString(payload));
        var printable = ChatText.Printable(line);
        if (!System.Text.Unicode.Utf8.IsValid(payload) || !ReferenceEquals(printable, line))
        {
            ChatLog.ClientInvalidText(_logger, payload.Length);
        }

        return printable;
    }

    private string? RenamedTo(string line)
    {
        var prefix = $"* {Nickname} is now known as ";
        return line.StartsWith(prefix, StringComparison.Ordinal) && line.Length > prefix.Length && !line[prefix.Length..].Contains(' ', StringComparison.Ordinal)
            ? line[prefix.Length..]
            : null;
    }

    private static string? NicknameOf(string line)
    {
        if (!line.StartsWith(WelcomePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = line[WelcomePrefix.Length..];
        var end = rest.IndexOf(' ', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }
}
