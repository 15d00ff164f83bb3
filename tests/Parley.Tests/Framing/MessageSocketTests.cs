using System.Net;
using System.Net.Sockets;
using Parley.Framing;
using Parley.Tests.Support;

namespace Parley.Tests.Framing;

public sealed class MessageSocketTests
{
    /// <summary>A connected pair: a MessageSocket client and a plain raw socket as the server's side.</summary>
    private static async Task<(MessageSocket Client, Socket Peer, Socket Listener)> PairAsync(CancellationToken ct)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new MessageSocket(AddressFamily.InterNetwork);
        var accepting = listener.AcceptAsync(ct);
        await client.ConnectAsync(listener.LocalEndPoint!, ct);
        return (client, await accepting, listener);
    }

    [Fact]
    public async Task A_server_can_accept_straight_into_a_MessageSocket()
    {
        var ct = TestTimeout.Token();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new MessageSocket(AddressFamily.InterNetwork);

        var accepting = listener.AcceptAsync(new MessageSocket(AddressFamily.InterNetwork), ct);
        await client.ConnectAsync(listener.LocalEndPoint!, ct);
        using var server = Assert.IsType<MessageSocket>(await accepting);
        await client.SendMessageAsync("hello, server", ct);

        Assert.Equal("hello, server", await server.ReceiveMessageAsync(ct));
    }

    [Fact]
    public async Task Messages_split_and_glued_on_the_wire_arrive_whole()
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var __ = peer;
        using var ___ = client;
        byte[] wire = [0, 0, 0, 5, .. "hello"u8, 0, 0, 0, 0, 0, 0, 0, 3, .. "end"u8];

        // One byte per send, with the receiver already waiting: every partial receive is exercised.
        var receiving = Task.Run(async () => new[]
        {
            await client.ReceiveMessageAsync(ct), await client.ReceiveMessageAsync(ct), await client.ReceiveMessageAsync(ct),
        }, ct);
        foreach (var b in wire)
        {
            await peer.SendAsync(new[] { b }, SocketFlags.None, ct);
        }

        Assert.Equal(new string?[] { "hello", "", "end" }, await receiving);
    }

    [Fact]
    public async Task An_orderly_close_between_messages_reads_as_null()
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var ___ = client;

        await peer.SendAsync(new byte[] { 0, 0, 0, 1, (byte)'x' }, SocketFlags.None, ct);
        peer.Shutdown(SocketShutdown.Send);

        Assert.Equal("x", client.ReceiveMessage());
        Assert.Null(client.ReceiveMessage());
        peer.Dispose();
    }

    [Fact]
    public async Task Frames_are_received_as_their_payload_bytes_undecoded_and_a_close_between_them_as_null()
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var ___ = client;

        // Not UTF-8, and empty: bytes are bytes.
        await peer.SendAsync(new byte[] { 0, 0, 0, 2, 0xc3, 0x28, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3 }, SocketFlags.None, ct);
        peer.Shutdown(SocketShutdown.Send);

        Assert.Equal(new byte[] { 0xc3, 0x28 }, (await client.ReceiveFrameAsync(ct))!.Value.ToArray());
        Assert.Equal(0, (await client.ReceiveFrameAsync(ct))!.Value.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await client.ReceiveFrameAsync(ct))!.Value.ToArray());
        Assert.Null(await client.ReceiveFrameAsync(ct));
        peer.Dispose();
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, MessageProtocolError.TruncatedHeader, "stream ended inside a message header: 2 of 4 header bytes received")]
    [InlineData(new byte[] { 0, 0, 0, 10, 0x61, 0x62, 0x63 }, MessageProtocolError.TruncatedPayload, "stream ended inside a message: 3 of 10 declared bytes received")]
    [InlineData(new byte[] { 0, 0, 0, 2, 0xc3, 0x28 }, MessageProtocolError.InvalidUtf8, "message of 2 bytes is not valid UTF-8")]
    [InlineData(new byte[] { 0, 0x10, 0, 1 }, MessageProtocolError.MessageTooLarge, "message too large: the header declares 1048577 bytes, the limit is 1048576")]
    public async Task Each_protocol_error_over_a_real_socket_raises_the_specific_exception(byte[] wire, MessageProtocolError expected, string text)
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var ___ = client;

        await peer.SendAsync(wire, SocketFlags.None, ct);
        peer.Shutdown(SocketShutdown.Send);

        var e = await Assert.ThrowsAsync<MessageProtocolException>(async () => await client.ReceiveMessageAsync(ct));
        Assert.Equal(expected, e.Error);
        Assert.Equal(text, e.Message);
        peer.Dispose();
    }

    [Fact]
    public async Task A_4_GB_length_prefix_is_refused_without_allocating_for_it()
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var __ = peer;
        using var ___ = client;
        await peer.SendAsync(new byte[] { 0xff, 0xff, 0xff, 0xff, 1, 2, 3 }, SocketFlags.None, ct);
        await Poll.UntilAsync(() => client.Available >= 7, "the bytes to arrive");

        // Synchronous receive: everything it allocates is on this thread, so the count is exact.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MessageProtocolException>(() => client.ReceiveMessage());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(uint.MaxValue, e.DeclaredLength);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public async Task A_lone_surrogate_or_an_oversized_message_is_refused_before_anything_is_sent()
    {
        var ct = TestTimeout.Token();
        var (client, peer, listener) = await PairAsync(ct);
        using var _ = listener;
        using var __ = peer;
        using var ___ = client;
        client.MaxMessageBytes = 8;

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SendMessageAsync("\udc00", ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SendMessage("123456789"));
        client.SendMessage("12345678");

        Assert.Equal(12, (await peer.ReadExactlyAsync(12, ct)).Length);
        Assert.Equal(0, peer.Available);
    }

    [Fact]
    public async Task Ten_thousand_messages_of_mixed_sizes_make_a_conversation_through_MessageSocket()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(2));
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new MessageSocket(AddressFamily.InterNetwork);
        var accepting = listener.AcceptAsync(new MessageSocket(AddressFamily.InterNetwork), ct);
        await client.ConnectAsync(listener.LocalEndPoint!, ct);
        using var server = (MessageSocket)await accepting;

        // The server answers each message with a reply of its own: one message in answer to another.
        var serving = Task.Run(async () =>
        {
            while (await server.ReceiveMessageAsync(ct) is { } message)
            {
                await server.SendMessageAsync($"re: {message}", ct);
            }
        }, ct);

        var messages = MixedMessages(10_000);
        foreach (var message in messages)
        {
            await client.SendMessageAsync(message, ct);
            Assert.Equal($"re: {message}", await client.ReceiveMessageAsync(ct));
        }

        client.Shutdown(SocketShutdown.Send);
        await serving;
        server.Shutdown(SocketShutdown.Send);
        Assert.Null(await client.ReceiveMessageAsync(ct));
    }

    [Fact]
    public async Task Ten_thousand_messages_of_mixed_sizes_make_a_conversation_through_the_stream_front_end()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(2));
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync(ct);
        await clientSocket.ConnectAsync(listener.LocalEndPoint!, ct);
        using var serverSocket = await accepting;
        await using var server = new MessageStream(new NetworkStream(serverSocket));
        await using var client = new MessageStream(new NetworkStream(clientSocket));

        var serving = Task.Run(async () =>
        {
            while (await server.ReceiveMessageAsync(ct) is { } message)
            {
                await server.SendMessageAsync(message.ToUpperInvariant(), ct);
            }
        }, ct);

        // Pipelined: all sent at once while the replies stream back.
        var messages = MixedMessages(10_000);
        var sending = Task.Run(async () =>
        {
            foreach (var message in messages)
            {
                await client.SendMessageAsync(message, ct);
            }

            clientSocket.Shutdown(SocketShutdown.Send);
        }, ct);
        foreach (var message in messages)
        {
            Assert.Equal(message.ToUpperInvariant(), await client.ReceiveMessageAsync(ct));
        }

        await sending;
        await serving;
    }

    private static string[] MixedMessages(int count)
    {
        var random = new Random(42);
        string[] alphabet = ["a", "Z", "я", "😀", " ", "é", "\n"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var length = (i % 100) switch
            {
                0 => 0,
                1 => random.Next(10_000, 70_000),
                _ => random.Next(1, 200),
            };
            return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]));
        }).ToArray();
    }
}
