using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Parley.Dialog;
using Parley.Echo;
using Parley.Framing;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Threats;

/// <summary>
/// One address opening connection after connection (issue 16: "2,500 connections a second from one address"): the
/// per-address and total limits turn it away at once, and everyone else is still served.
/// </summary>
public sealed class ConnectionLimitThreatTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.3");

    private static LoopbackServer StartEcho(Action<TcpServerOptions> configure, TimeProvider? time = null) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = EchoMode.Raw }, logs), configure, time);

    private static async Task<string> EchoAsync(Socket socket, string text, CancellationToken ct)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, ct);
        var buffer = new byte[text.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            Assert.NotEqual(0, n);
            read += n;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Everything the server sends until it closes the connection.</summary>
    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) is var n and > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_are_closed_at_once_while_another_address_is_served()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(o => o.MaxConnectionsPerAddress = 3);
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                held.Add(await server.ConnectAsync(Flooder, ct));
            }

            await Poll.UntilAsync(() => server.Server.ConnectionCount == 3, "three connections from 127.0.0.2");
            using var refused = await server.ConnectAsync(Flooder, ct);
            using var other = await server.ConnectAsync(Other, ct);

            Assert.Empty(await ReadToEndAsync(refused, ct));
            Assert.Equal("still served", await EchoAsync(other, "still served", ct));
            Assert.Equal("held", await EchoAsync(held[0], "held", ct));
            Assert.Equal(1, server.Server.ConnectionsRefused);
            Assert.True(server.Logs.Has("ConnectionRefused", r => r.Message.Contains("127.0.0.2", StringComparison.Ordinal)
                && r.Message.Contains("3 connections from this address already", StringComparison.Ordinal)));
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_closed_connection_frees_its_place_under_the_per_address_limit()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(o => o.MaxConnectionsPerAddress = 1);
        using (var first = await server.ConnectAsync(Flooder, ct))
        {
            Assert.Equal("one", await EchoAsync(first, "one", ct));
        }

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the first connection to close");
        using var second = await server.ConnectAsync(Flooder, ct);

        Assert.Equal("two", await EchoAsync(second, "two", ct));
        Assert.Equal(0, server.Server.ConnectionsRefused);
    }

    [Fact]
    public async Task Connections_over_the_total_limit_are_refused_whatever_their_address()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(o => o.MaxConnections = 2);
        using var one = await server.ConnectAsync(Flooder, ct);
        using var two = await server.ConnectAsync(Other, ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 2, "two connections");

        using var third = await server.ConnectAsync(IPAddress.Loopback, ct);

        Assert.Empty(await ReadToEndAsync(third, ct));
        Assert.True(server.Logs.Has("ConnectionRefused", r => r.Message.Contains("maximum of 2 connections", StringComparison.Ordinal)));
        Assert.Equal("ok", await EchoAsync(one, "ok", ct));
    }

    [Fact]
    public async Task A_refused_dialog_client_reads_hello_busy_and_bye_even_when_it_spoke_first()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(o =>
        {
            o.MaxConnectionsPerAddress = 1;
            o.Refusal = reason => DialogRefusal.Busy("ident", reason);
        });
        using var held = await server.ConnectAsync(Flooder, ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 1, "the first connection");
        using var refused = await server.ConnectAsync(Flooder, ct);
        await using var stream = new MessageStream(new NetworkStream(refused, ownsSocket: false));
        await stream.SendMessageAsync("""{"type":"resume","token":"x"}""", ct);

        var hello = DialogCodec.TryParse((await stream.ReceiveMessageAsync(ct))!, out var h, out _) ? h : null;
        Assert.True(DialogCodec.TryParse((await stream.ReceiveMessageAsync(ct))!, out var error, out _));
        Assert.True(DialogCodec.TryParse((await stream.ReceiveMessageAsync(ct))!, out var bye, out _));

        Assert.Equal(DialogTypes.Hello, hello?.Type);
        Assert.Equal("ident", hello?.Service);
        Assert.Equal(DialogErrorCodes.Busy, error.Code);
        Assert.Contains("1 connections from this address already", error.Text, StringComparison.Ordinal);
        Assert.Equal(DialogTypes.Bye, bye.Type);
        Assert.Null(await stream.ReceiveMessageAsync(ct));
    }

    [Fact]
    public async Task Refusals_are_logged_at_most_once_a_second_per_address_with_how_many_were_not()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var server = StartEcho(o => o.MaxConnectionsPerAddress = 1, time);
        using var held = await server.ConnectAsync(Flooder, ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 1, "the first connection");

        await RefuseAsync(server, 5, ct);
        Assert.Single(server.Logs.Events("ConnectionRefused"));
        Assert.Empty(server.Logs.Events("ConnectionsRefusedAgain"));

        time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(server.Logs.Events("ConnectionsRefusedAgain"));
        Assert.StartsWith("Refused 4 more connections from 127.0.0.2", again.Message, StringComparison.Ordinal);

        await RefuseAsync(server, 2, ct);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, server.Logs.Events("ConnectionsRefusedAgain").Count);
        Assert.Single(server.Logs.Events("ConnectionRefused"));

        // A quiet second later, the address is forgotten: its next refusal is logged at once again.
        time.Advance(TimeSpan.FromSeconds(1));
        await RefuseAsync(server, 1, ct);
        Assert.Equal(2, server.Logs.Events("ConnectionRefused").Count);
        Assert.Equal(8, server.Server.ConnectionsRefused);
    }

    [Fact]
    public void The_refusal_log_keeps_a_bounded_table_and_counts_the_overflow_together()
    {
        var time = new FakeTimeProvider();
        var (factory, logs) = TestLogging.Create();
        var log = new RefusalLog(factory.CreateLogger("test"), time);

        for (var i = 0; i < RefusalLog.MaxAddresses + 100; i++)
        {
            log.Refused(new IPAddress(0x0a000000u + (uint)i), "full");
        }

        Assert.Equal(RefusalLog.MaxAddresses, log.Tracked);
        Assert.Equal(RefusalLog.MaxAddresses, logs.Events("ConnectionRefused").Count);
        time.Advance(TimeSpan.FromSeconds(1));
        log.Flush();
        Assert.StartsWith("Refused 100 connections from other addresses", Assert.Single(logs.Events("ConnectionsRefusedFromOthers")).Message,
            StringComparison.Ordinal);
        Assert.Equal(0, log.Tracked);
    }

    [Fact]
    public async Task The_starting_line_shows_the_limits_in_force()
    {
        await using var limited = StartEcho(o => (o.MaxConnections, o.MaxConnectionsPerAddress) = (900, 64));
        await using var open = StartEcho(_ => { });

        Assert.Contains("max connections 900, max connections per address 64,",
            Assert.Single(limited.Logs.Events("ServerStarting")).Message, StringComparison.Ordinal);
        Assert.Contains("max connections unlimited, max connections per address unlimited,",
            Assert.Single(open.Logs.Events("ServerStarting")).Message, StringComparison.Ordinal);
    }

    private static async Task RefuseAsync(LoopbackServer server, int count, CancellationToken ct)
    {
        var before = server.Server.ConnectionsRefused;
        for (var i = 0; i < count; i++)
        {
            using var socket = await server.ConnectAsync(Flooder, ct);
            Assert.Empty(await ReadToEndAsync(socket, ct));
        }

        Assert.Equal(before + count, server.Server.ConnectionsRefused);
    }

    [Fact]
    public void The_limiter_counts_per_address_and_in_all()
    {
        var limiter = new ConnectionLimiter(maxConnections: 3, maxPerAddress: 2);

        Assert.Null(limiter.TryAdmit(Flooder));
        Assert.Null(limiter.TryAdmit(Flooder));
        Assert.NotNull(limiter.TryAdmit(Flooder));
        Assert.Null(limiter.TryAdmit(Other));
        Assert.NotNull(limiter.TryAdmit(IPAddress.Loopback));
        limiter.Release(Flooder);
        Assert.Null(limiter.TryAdmit(IPAddress.Loopback));
    }
}
