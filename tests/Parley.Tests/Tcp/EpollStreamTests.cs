using System.Net.Sockets;
using Parley.Echo;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Tcp;

/// <summary>
/// The epoll engine's stream on real loopback sockets: the cases the echo tests (run on both engines) do not reach:
/// a write that waits for a peer that does not read, cancellation, aborts, resets, the end of the stream arriving with
/// the data, and registrations freed.
/// </summary>
public sealed class EpollStreamTests
{
    private static async Task<byte[]> ReadAllAsync(Socket socket, int count, CancellationToken ct)
    {
        var data = new byte[count];
        var at = 0;
        while (at < count)
        {
            var read = await socket.ReceiveAsync(data.AsMemory(at), ct);
            Assert.NotEqual(0, read);
            at += read;
        }

        return data;
    }

    [Fact]
    public async Task A_write_to_a_peer_that_does_not_read_waits_and_finishes_intact_once_the_peer_reads()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);
        var data = new byte[16 * 1024 * 1024];
        new Random(7).NextBytes(data);

        var write = pair.Stream.WriteAsync(data, ct).AsTask();
        // Far more than both sockets' buffers hold: the write must be waiting for the peer.
        Assert.False(write.IsCompleted);

        var received = await ReadAllAsync(pair.Client, data.Length, ct);
        await write.WaitAsync(ct);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task A_waiting_read_ends_when_its_token_is_cancelled_and_the_next_read_still_gets_the_data()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);
        using var cancel = new CancellationTokenSource();
        var buffer = new byte[64];

        var read = pair.Stream.ReadAsync(buffer, cancel.Token).AsTask();
        Assert.False(read.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(ct));

        await pair.Client.SendAsync("after"u8.ToArray(), ct);
        var count = await pair.Stream.ReadAsync(buffer, ct).AsTask().WaitAsync(ct);
        Assert.Equal("after"u8.ToArray(), buffer[..count]);
    }

    [Fact]
    public async Task The_owner_cancelling_ends_a_wait_for_data_without_a_registration_on_its_token()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);

        var wait = pair.Stream.ReadAsync(Memory<byte>.Empty, pair.Owner.Token).AsTask();
        Assert.False(wait.IsCompleted);
        await pair.Owner.CancelAsync();
        pair.Stream.OwnerCancelled();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(ct));
    }

    [Fact]
    public async Task An_abort_fails_a_waiting_read_and_a_waiting_write_and_every_later_call()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);
        var read = pair.Stream.ReadAsync(new byte[64], ct).AsTask();
        var write = pair.Stream.WriteAsync(new byte[16 * 1024 * 1024], ct).AsTask();
        Assert.False(read.IsCompleted);
        Assert.False(write.IsCompleted);

        pair.Stream.Abort();

        var readError = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(ct));
        var writeError = await Assert.ThrowsAsync<IOException>(() => write.WaitAsync(ct));
        Assert.Equal(SocketError.OperationAborted, SocketErrors.Code(readError));
        Assert.Equal(SocketError.OperationAborted, SocketErrors.Code(writeError));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pair.Stream.ReadAsync(new byte[1], ct).AsTask());
    }

    [Fact]
    public async Task A_peer_that_resets_fails_the_waiting_read_as_a_disconnect()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);
        var read = pair.Stream.ReadAsync(new byte[64], ct).AsTask();
        Assert.False(read.IsCompleted);

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        var error = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(ct));
        Assert.True(SocketErrors.IsDisconnect(error));
    }

    [Fact]
    public async Task Data_and_the_end_of_the_stream_that_came_before_the_first_read_are_both_seen()
    {
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct, async client =>
        {
            await client.SendAsync("last words"u8.ToArray(), ct);
            client.Shutdown(SocketShutdown.Send);
        });
        var buffer = new byte[64];

        await pair.Stream.ReadAsync(Memory<byte>.Empty, ct).AsTask().WaitAsync(ct);
        var count = await pair.Stream.ReadAsync(buffer, ct).AsTask().WaitAsync(ct);
        Assert.Equal("last words"u8.ToArray(), buffer[..count]);
        // The end of the stream was announced with the data, before the read that emptied the socket: the wait for
        // more must not wait for an edge that has passed.
        await pair.Stream.ReadAsync(Memory<byte>.Empty, ct).AsTask().WaitAsync(ct);
        Assert.Equal(0, await pair.Stream.ReadAsync(buffer, ct).AsTask().WaitAsync(ct));
    }

    private static LoopbackServer StartRawEchoOnEpoll() => LoopbackServer.Start(
        logs => new EchoHandler(new EchoOptions { Mode = EchoMode.Raw }, logs), options => options.Engine = TcpEngine.Epoll);

    [Fact]
    public async Task Five_hundred_clients_at_once_each_get_their_own_bytes_back()
    {
        var ct = TestTimeout.Token();
        await using var server = StartRawEchoOnEpoll();

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 500, CancellationToken = ct },
            async (i, token) =>
            {
                using var client = await server.ConnectAsync(cancellationToken: token);
                for (var round = 0; round < 20; round++)
                {
                    var message = BitConverter.GetBytes((i * 1000) + round);
                    await client.SendAsync(message, token);
                    Assert.Equal(message, await ReadAllAsync(client, message.Length, token));
                }
            });
    }

    [Fact]
    public async Task Clients_streaming_without_pause_do_not_starve_a_client_that_talks_in_turns()
    {
        var ct = TestTimeout.Token();
        await using var server = LoopbackServer.Start(
            logs => new EchoHandler(new EchoOptions { Mode = EchoMode.Raw, ChunkSize = 65536 }, logs), options => options.Engine = TcpEngine.Epoll);
        using var streaming = new CancellationTokenSource();
        var streams = new List<Task>();
        var streamers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            // Every loop gets some: connections go to the loops in turn.
            var socket = await server.ConnectAsync(cancellationToken: ct);
            streamers.Add(socket);
            var chunk = new byte[65536];
            streams.Add(Task.Run(async () =>
            {
                while (!streaming.IsCancellationRequested)
                {
                    await socket.SendAsync(chunk, CancellationToken.None);
                }
            }, CancellationToken.None));
            streams.Add(Task.Run(async () =>
            {
                var sink = new byte[65536];
                while (await socket.ReceiveAsync(sink, CancellationToken.None) > 0)
                {
                }
            }, CancellationToken.None));
        }

        using var talker = await server.ConnectAsync(cancellationToken: ct);
        for (var round = 0; round < 50; round++)
        {
            var message = BitConverter.GetBytes(round);
            await talker.SendAsync(message, ct);
            Assert.Equal(message, await ReadAllAsync(talker, message.Length, ct));
        }

        await streaming.CancelAsync();
        foreach (var socket in streamers)
        {
            socket.Dispose();
        }

        await Task.WhenAll(streams.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(ct);
    }

    [Fact]
    public async Task A_token_cancelled_after_its_read_finished_never_cancels_a_later_read()
    {
        // The read parks while the data is on its way, so the loop may finish it while it is being parked: its token's
        // callback must not outlive it (it was once registered after the park, and then cancelled the next read).
        var ct = TestTimeout.Token();
        using var pair = await EpollPair.ConnectAsync(ct);
        var buffer = new byte[16];
        for (var round = 0; round < 2000; round++)
        {
            using (var cancel = new CancellationTokenSource())
            {
                var send = pair.Client.SendAsync(new byte[] { 1 }, ct).AsTask();
                Assert.Equal(1, await pair.Stream.ReadAsync(buffer, cancel.Token).AsTask().WaitAsync(ct));
                await send;
                await cancel.CancelAsync();
            }

            var next = pair.Stream.ReadAsync(buffer, ct).AsTask();
            await pair.Client.SendAsync(new byte[] { 2 }, ct);
            Assert.Equal(1, await next.WaitAsync(ct));
            Assert.Equal(2, buffer[0]);
        }
    }

    [Fact]
    public async Task An_abort_while_the_first_write_parks_always_ends_that_write()
    {
        // Abort once looked for the write's operation before closing the direction: a first write parking in between
        // was left waiting for ever.
        var ct = TestTimeout.Token();
        for (var round = 0; round < 200; round++)
        {
            using var pair = await EpollPair.ConnectAsync(ct);
            using var start = new Barrier(2);
            var write = Task.Run(() =>
            {
                start.SignalAndWait(ct);
                return pair.Stream.WriteAsync(new byte[4 * 1024 * 1024], ct).AsTask();
            }, ct);
            var abort = Task.Run(() =>
            {
                start.SignalAndWait(ct);
                pair.Stream.Abort();
            }, ct);

            await abort.WaitAsync(ct);
            var error = await Record.ExceptionAsync(() => write.WaitAsync(ct));
            Assert.True(error is IOException or ObjectDisposedException, $"round {round}: {error}");
        }
    }

    [Fact]
    public async Task Clients_that_reset_or_never_read_do_not_disturb_the_others_and_all_leave()
    {
        var ct = TestTimeout.Token();
        await using var server = StartRawEchoOnEpoll();

        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 300, CancellationToken = ct },
            async (i, token) =>
            {
                var client = await server.ConnectAsync(cancellationToken: token);
                var data = new byte[(i % 7) * 40_000 + 1];
                new Random(i).NextBytes(data);
                switch (i % 3)
                {
                    case 0:
                        // Well behaved: everything comes back, in order, then the end of the stream.
                        var echoed = ReadAllAsync(client, data.Length, token);
                        await client.SendAsync(data, token);
                        client.Shutdown(SocketShutdown.Send);
                        Assert.Equal(data, await echoed);
                        Assert.Equal(0, await client.ReceiveAsync(new byte[1], token));
                        client.Dispose();
                        break;
                    case 1:
                        // Resets while the server may be writing to it.
                        await client.SendAsync(data, token);
                        client.LingerState = new LingerOption(true, 0);
                        client.Dispose();
                        break;
                    default:
                        // Sends and never reads, then leaves: the server's write may be parked. (Less than the server's
                        // receive buffer holds, so that this send never waits for a server that waits for this client.)
                        client.ReceiveBufferSize = 4096;
                        await client.SendAsync(data.AsMemory(0, Math.Min(data.Length, 60_000)), token);
                        client.Dispose();
                        break;
                }
            });

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "every connection closed");
    }
}
