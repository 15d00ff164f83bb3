using System.Buffers.Binary;
using System.Net.Sockets;
using Parley.Echo;
using Parley.Framing;
using Parley.Tests.Support;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16: "300 framed-echo connections each declaring a 1 MiB message and sending all but the last byte" held
/// 306 MiB for ever. Now unfinished messages share a budget, and each must complete within a time limit. Scaled down:
/// 24 connections against a budget of 8 MiB.
/// </summary>
public sealed class FramedMemoryThreatTests
{
    private const int OneMiB = 1024 * 1024;

    private static (LoopbackServer Server, EchoHandler Handler) Start(long maxBuffered, TimeSpan? frameTimeout)
    {
        EchoHandler? handler = null;
        var server = LoopbackServer.Start(logs => handler = new EchoHandler(
            new EchoOptions { Mode = EchoMode.Framed, MaxBufferedBytes = maxBuffered, FrameTimeout = frameTimeout }, logs));
        return (server, handler!);
    }

    /// <summary>A header declaring <paramref name="declared"/> bytes, then all of them but the last.</summary>
    private static byte[] AllButTheLastByte(int declared)
    {
        var frame = new byte[LengthPrefixCodec.HeaderLength + declared - 1];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)declared);
        frame.AsSpan(LengthPrefixCodec.HeaderLength).Fill((byte)'a');
        return frame;
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket, CancellationToken ct)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, ct) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    [Fact]
    public async Task A_client_that_never_reads_back_its_large_messages_cannot_hold_the_budget_past_the_frame_timeout()
    {
        // Found by a black-box attack: whole 1 MiB messages sent by clients that never read their echo held the budget
        // for as long as they stayed connected, and an honest client's large message was refused.
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(1));
        const long budget = 8 * OneMiB;
        var (server, handler) = Start(budget, frameTimeout: TimeSpan.FromSeconds(1));
        await using var _ = server;
        var whole = new byte[LengthPrefixCodec.HeaderLength + OneMiB];
        BinaryPrimitives.WriteUInt32BigEndian(whole, OneMiB);
        var attackers = new List<Socket>();
        var sends = new List<Task>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port, ct);
                attackers.Add(socket);
                // More than loopback's socket buffers take, so the server's echo of one of them waits on this client.
                sends.Add(Task.Run(async () =>
                {
                    for (var m = 0; m < 8; m++)
                    {
                        await socket.SendAsync(whole, SocketFlags.None, ct);
                    }
                }, ct));
            }

            await Poll.UntilAsync(() => server.Logs.Events("EchoNotRead").Count == 3, "each non-reading client to be disconnected");

            Assert.Equal(0, server.Server.ConnectionCount);
            Assert.Equal(0, handler.Budget!.InUse);
            Assert.All(server.Logs.Events("EchoNotRead"), r => Assert.Contains("did not read back its message", r.Message, StringComparison.Ordinal));
        }
        finally
        {
            attackers.ForEach(a => a.Dispose());
            await Task.WhenAll(sends).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Unfinished_messages_never_hold_more_than_the_budget_and_the_connections_asking_for_more_are_closed()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(1));
        const long budget = 8 * OneMiB;
        var (server, handler) = Start(budget, frameTimeout: null);
        await using var _ = server;
        var attackers = new List<Socket>();
        var sends = new List<Task>();
        try
        {
            for (var i = 0; i < 24; i++)
            {
                var socket = await server.ConnectAsync(cancellationToken: ct);
                attackers.Add(socket);
                sends.Add(socket.SendAsync(AllButTheLastByte(OneMiB), SocketFlags.None, ct).AsTask());
            }

            await Poll.UntilAsync(() => server.Logs.Events("OverBudget").Count + server.Server.ConnectionCount == 24
                && server.Logs.Events("OverBudget").Count >= 24 - (int)(budget / OneMiB), "every connection to be held or closed");
            var refused = server.Logs.Events("OverBudget");

            Assert.True(handler.Budget!.InUse <= budget, $"{handler.Budget.InUse} bytes held, over the budget of {budget}");
            Assert.InRange(server.Server.ConnectionCount, 1, (int)(budget / OneMiB));
            Assert.All(refused, r => Assert.Contains("over the budget", r.Message, StringComparison.Ordinal));
            Assert.True(server.Logs.Has("ClientDisconnected", r => r.Message.Contains("over a server limit", StringComparison.Ordinal)));

            // Another client's small message is still echoed; and once the attackers are gone, the budget is free.
            using (var other = await server.ConnectAsync(cancellationToken: ct))
            await using (var messages = new MessageStream(new NetworkStream(other, ownsSocket: false)))
            {
                await messages.SendMessageAsync("small", ct);
                Assert.Equal("small", await messages.ReceiveMessageAsync(ct));
            }

            attackers.ForEach(s => s.Dispose());
            await Poll.UntilAsync(() => handler.Budget.InUse == 0, "the budget to be given back");
            using var large = await server.ConnectAsync(cancellationToken: ct);
            await using var big = new MessageStream(new NetworkStream(large, ownsSocket: false));
            var text = new string('b', OneMiB - 10);
            await big.SendMessageAsync(text, ct);
            Assert.Equal(text, await big.ReceiveMessageAsync(ct));
        }
        finally
        {
            attackers.ForEach(s => s.Dispose());
            await Task.WhenAll(sends.Select(static async send =>
            {
                try
                {
                    await send;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // Closed by the server over the budget, or by the test: the send had nowhere to go.
                }
            }));
        }
    }

    [Fact]
    public async Task A_message_not_completed_within_the_frame_timeout_closes_its_connection_and_frees_its_memory()
    {
        var ct = TestTimeout.Token();
        var (server, handler) = Start(64 * OneMiB, TimeSpan.FromSeconds(1));
        await using var _ = server;
        using var stalled = await server.ConnectAsync(cancellationToken: ct);

        await stalled.SendAsync(AllButTheLastByte(OneMiB), SocketFlags.None, ct);

        Assert.True(await ClosedByServerAsync(stalled, ct));
        var timedOut = Assert.Single(server.Logs.Events("MessageTimedOut"));
        Assert.Contains("did not complete a message within 1.0 s", timedOut.Message, StringComparison.Ordinal);
        Assert.True(server.Logs.Has("ClientDisconnected", r => r.Message.Contains("message not completed in time", StringComparison.Ordinal)));
        await Poll.UntilAsync(() => handler.Budget!.InUse == 0, "the budget to be given back");
    }

    [Fact]
    public async Task Messages_that_complete_in_time_keep_the_connection_open_however_long_it_lasts()
    {
        var ct = TestTimeout.Token();
        var (server, _) = Start(64 * OneMiB, TimeSpan.FromMilliseconds(500));
        await using var __ = server;
        using var socket = await server.ConnectAsync(cancellationToken: ct);
        await using var messages = new MessageStream(new NetworkStream(socket, ownsSocket: false));

        // Each message is whole at once, however long the connection lives; the clock runs only within a message.
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(1.5))
        {
            await messages.SendMessageAsync("tick", ct);
            Assert.Equal("tick", await messages.ReceiveMessageAsync(ct));
            await Task.Delay(100, ct);
        }

        Assert.Empty(server.Logs.Events("MessageTimedOut"));
    }
}
