using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Echo;
using Parley.Framing;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Echo;

/// <summary>The framed echo server on the runtime's sockets; <see cref="FramedEchoOnEpollTests"/> runs every test again on the epoll engine.</summary>
public class FramedEchoTests
{
    /// <summary>What drives the connections of every server these tests start.</summary>
    protected virtual TcpEngine Engine => TcpEngine.Sockets;

    private LoopbackServer StartFramed(int max = LengthPrefixCodec.DefaultMaxMessageBytes) =>
        LoopbackServer.Start(
            logs => new EchoHandler(new EchoOptions { Mode = EchoMode.Framed, MaxMessageBytes = max }, logs),
            options => options.Engine = Engine);

    private static async Task<MessageSocket> ConnectAsync(LoopbackServer server, CancellationToken ct)
    {
        var socket = new MessageSocket(AddressFamily.InterNetwork);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port, ct);
        return socket;
    }

    [Fact]
    public async Task Every_message_is_answered_by_one_message_with_the_same_text()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed();
        using var client = await ConnectAsync(server, ct);

        foreach (var text in new[] { "hello", "", "Привет, мир", "😀 non-BMP", new string('x', 100_000), "exit now" })
        {
            await client.SendMessageAsync(text, ct);
            Assert.Equal(text, await client.ReceiveMessageAsync(ct));
        }
    }

    [Fact]
    public async Task Exit_as_a_message_ends_the_conversation_after_the_earlier_replies()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed();
        using var client = await ConnectAsync(server, ct);

        await client.SendMessageAsync("one", ct);
        await client.SendMessageAsync("EXIT", ct);
        await client.SendMessageAsync("never answered", ct);

        Assert.Equal("one", await client.ReceiveMessageAsync(ct));
        Assert.Null(await client.ReceiveMessageAsync(ct));
        Assert.False(server.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task Stop_as_a_message_from_loopback_stops_the_server()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed();
        using var client = await ConnectAsync(server, ct);

        await client.SendMessageAsync("stop", ct);

        Assert.Null(await client.ReceiveMessageAsync(ct));
        await server.Server.Completion.WaitAsync(ct);
    }

    [Fact]
    public async Task A_protocol_error_disconnects_that_client_only_and_is_logged_with_its_address()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed(max: 1000);
        using var good = await ConnectAsync(server, ct);
        using var bad = await server.ConnectAsync(cancellationToken: ct);

        await bad.SendAllAsync(new byte[] { 0, 0, 0x10, 0 }, ct);

        Assert.Empty(await bad.ReadToEndAsync(ct));
        var warning = server.Logs.Events("ProtocolError").Single();
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("the header declares 4096 bytes, the limit is 1000", warning.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", warning.Message, StringComparison.Ordinal);
        await good.SendMessageAsync("still served", ct);
        Assert.Equal("still served", await good.ReceiveMessageAsync(ct));
    }

    [Fact]
    public async Task Invalid_UTF8_from_a_client_is_a_protocol_error()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed();
        using var bad = await server.ConnectAsync(cancellationToken: ct);

        await bad.SendAllAsync(new byte[] { 0, 0, 0, 1, 0xff }, ct);

        Assert.Empty(await bad.ReadToEndAsync(ct));
        Assert.True(server.Logs.Has("ProtocolError", r => r.Message.Contains("not valid UTF-8", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Many_messages_in_one_burst_are_answered_in_order()
    {
        var ct = TestTimeout.Token();
        await using var server = StartFramed();
        using var client = await ConnectAsync(server, ct);

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 5000; i++)
            {
                await client.SendMessageAsync($"message {i}", ct);
            }

            client.Shutdown(SocketShutdown.Send);
        }, ct);
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal($"message {i}", await client.ReceiveMessageAsync(ct));
        }

        Assert.Null(await client.ReceiveMessageAsync(ct));
        await sending;
    }
}
