using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Echo;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Echo;

/// <summary>The echo server on the runtime's sockets; <see cref="EchoServerOnEpollTests"/> runs every test again on the epoll engine.</summary>
public class EchoServerTests
{
    /// <summary>What drives the connections of every server these tests start.</summary>
    protected virtual TcpEngine Engine => TcpEngine.Sockets;

    private LoopbackServer StartEcho(EchoMode mode = EchoMode.Line, Action<TcpServerOptions>? configure = null,
        TimeProvider? time = null, IPAddress? address = null) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = mode }, logs), options =>
        {
            options.Engine = Engine;
            configure?.Invoke(options);
        }, time, address);

    [Fact]
    public async Task Random_binary_data_in_random_splits_echoes_byte_for_byte_in_reads_of_at_most_1024_bytes()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        using var client = await server.ConnectAsync(cancellationToken: ct);
        var random = new Random(1234);
        var data = new byte[300_000];
        random.NextBytes(data);
        NeutraliseCommands(data);

        var reading = client.ReadExactlyAsync(data.Length, ct);
        for (var offset = 0; offset < data.Length;)
        {
            var size = Math.Min(random.Next(1, 5000), data.Length - offset);
            await client.SendAllAsync(data.AsMemory(offset, size), ct);
            offset += size;
        }

        var echoed = await reading;

        Assert.Equal(data, echoed);
        var reads = server.Logs.Events("DataReceived");
        Assert.NotEmpty(reads);
        Assert.All(reads, r => Assert.InRange(Convert.ToInt32(r.GetStructuredStateValue("Bytes"), System.Globalization.CultureInfo.InvariantCulture), 1, 1024));
    }

    [Fact]
    public async Task A_hundred_clients_at_once_each_get_their_own_bytes_back()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();

        var clients = Enumerable.Range(0, 100).Select(async i =>
        {
            using var client = await server.ConnectAsync(cancellationToken: ct);
            var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"client {i} says hello\n", 200)));
            var reading = client.ReadExactlyAsync(data.Length, ct);
            await client.SendAllAsync(data, ct);
            Assert.Equal(data, await reading);
        });
        await Task.WhenAll(clients);

        Assert.Equal(100, server.Server.ConnectionsServed);
    }

    [Fact]
    public async Task Exit_closes_only_that_connection_and_the_client_can_connect_again_at_once()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        using var other = await server.ConnectAsync(cancellationToken: ct);
        using (var client = await server.ConnectAsync(cancellationToken: ct))
        {
            await client.SendAllAsync("before\nexit\nafter\n"u8.ToArray(), ct);
            var received = await client.ReadToEndAsync(ct);
            Assert.Equal("before\n", Encoding.ASCII.GetString(received));
        }

        using var again = await server.ConnectAsync(cancellationToken: ct);
        await again.SendAllAsync("back\n"u8.ToArray(), ct);
        Assert.Equal("back\n", Encoding.ASCII.GetString(await again.ReadExactlyAsync(5, ct)));
        await other.SendAllAsync("still here\n"u8.ToArray(), ct);
        Assert.Equal("still here\n", Encoding.ASCII.GetString(await other.ReadExactlyAsync(11, ct)));
        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("exit command", StringComparison.Ordinal)),
            "the exit to be logged");
    }

    [Fact]
    public async Task Stop_from_loopback_stops_the_server_after_delivering_what_is_owed_and_closes_everyone()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        using var bystander = await server.ConnectAsync(cancellationToken: ct);
        await bystander.SendAllAsync("partial ex"u8.ToArray(), ct);
        Assert.Equal("partial "u8.ToArray(), await bystander.ReadExactlyAsync(8, ct));
        using var stopper = await server.ConnectAsync(cancellationToken: ct);

        await stopper.SendAllAsync("owed\nstop\n"u8.ToArray(), ct);

        Assert.Equal("owed\n", Encoding.ASCII.GetString(await stopper.ReadToEndAsync(ct)));
        await server.Server.Completion.WaitAsync(ct);
        Assert.Equal("ex", Encoding.ASCII.GetString(await bystander.ReadToEndAsync(ct)));
        Assert.True(server.Logs.Has("StopRequested", r => r.Message.Contains("client", StringComparison.Ordinal)));
        Assert.True(server.Logs.Has("ServerStopped"));
        Assert.True(server.Logs.Has("ClientDisconnected", r => r.Message.Contains("server stopping", StringComparison.Ordinal)));
        await Assert.ThrowsAnyAsync<SocketException>(() => server.ConnectAsync(cancellationToken: ct));
    }

    [Fact]
    public async Task Stop_from_a_client_that_may_not_stop_the_server_is_echoed_and_warned_about()
    {
        // The loopback-only default (--allow-stop local) refusing a remote client is covered by the two-host test,
        // which has a real second host; tests never use this machine's other addresses.
        var ct = TestTimeout.Token();
        await using var server = StartEcho(configure: o => o.StopPolicy = StopPolicy.None);
        using var client = await server.ConnectAsync(cancellationToken: ct);

        await client.SendAllAsync("stop\n"u8.ToArray(), ct);

        Assert.Equal("stop\n", Encoding.ASCII.GetString(await client.ReadExactlyAsync(5, ct)));
        Assert.False(server.Server.Completion.IsCompleted);
        Assert.True(server.Logs.Has("StopRefused", r => r.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task A_half_close_gets_everything_owed_back_then_the_connection_closes()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        using var client = await server.ConnectAsync(cancellationToken: ct);
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789", 10_000)) + "\nst");

        await client.SendAllAsync(data, ct);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(data, await client.ReadToEndAsync(ct));
        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("closed by the client", StringComparison.Ordinal)), "the disconnect log");
    }

    [Fact]
    public async Task A_client_that_resets_its_connection_does_not_disturb_the_others()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho();
        using var steady = await server.ConnectAsync(cancellationToken: ct);
        var rude = await server.ConnectAsync(cancellationToken: ct);
        await rude.SendAllAsync("half a line"u8.ToArray(), ct);
        await rude.ReadExactlyAsync(11, ct);

        rude.LingerState = new LingerOption(true, 0);
        rude.Dispose();

        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("reset", StringComparison.Ordinal)), "the reset to be logged");
        await steady.SendAllAsync("fine\n"u8.ToArray(), ct);
        Assert.Equal("fine\n", Encoding.ASCII.GetString(await steady.ReadExactlyAsync(5, ct)));
    }

    [Fact]
    public async Task Raw_mode_echoes_commands_as_data()
    {
        var ct = TestTimeout.Token();
        await using var server = StartEcho(EchoMode.Raw);
        using var client = await server.ConnectAsync(cancellationToken: ct);

        await client.SendAllAsync("exit\nstop\n"u8.ToArray(), ct);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("exit\nstop\n", Encoding.ASCII.GetString(await client.ReadToEndAsync(ct)));
        Assert.False(server.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_silent_client_is_closed_after_the_idle_timeout_and_the_reason_logged()
    {
        var ct = TestTimeout.Token();
        var time = new FakeTimeProvider();
        await using var server = StartEcho(configure: o => o.IdleTimeout = TimeSpan.FromSeconds(30), time: time);
        using var silent = await server.ConnectAsync(cancellationToken: ct);
        using var chatty = await server.ConnectAsync(cancellationToken: ct);
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 2, "both connections");

        time.Advance(TimeSpan.FromSeconds(20));
        await chatty.SendAllAsync("hi\n"u8.ToArray(), ct);
        await chatty.ReadExactlyAsync(3, ct);
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.Empty(await silent.ReadToEndAsync(ct));
        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("idle timeout", StringComparison.Ordinal)),
            "the idle timeout to be logged");
        await chatty.SendAllAsync("still\n"u8.ToArray(), ct);
        Assert.Equal("still\n", Encoding.ASCII.GetString(await chatty.ReadExactlyAsync(6, ct)));
    }

    [Fact]
    public async Task The_log_tells_the_story_of_a_session_in_order()
    {
        var ct = TestTimeout.Token();
        var server = StartEcho();
        using (var client = await server.ConnectAsync(cancellationToken: ct))
        {
            await client.SendAllAsync("hello\nexit\n"u8.ToArray(), ct);
            await client.ReadToEndAsync(ct);
        }

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the disconnect");
        await server.DisposeAsync();

        var names = server.Logs.GetSnapshot().Select(r => r.Id.Name).ToList();
        string[] story = ["ServerStarting", "Listening", "ClientConnected", "DataReceived", "DataSent", "ExitCommand",
            "ClientDisconnected", "StopRequested", "ServerStopping", "ServerStopped"];
        Assert.Equal(story, names.Where(story.Contains).Distinct());
        var connected = server.Logs.Events("ClientConnected").Single();
        Assert.Equal("1", connected.GetStructuredStateValue("ConnectionId"));
        Assert.Contains("127.0.0.1", connected.GetStructuredStateValue("RemoteEndPoint"), StringComparison.Ordinal);
        var received = server.Logs.Events("DataReceived").First();
        Assert.StartsWith("hello\\n", received.GetStructuredStateValue("Preview"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_events_are_not_even_formatted_when_their_level_is_off()
    {
        var ct = TestTimeout.Token();
        var collector = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information)
            .AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(collector)));
        var server = new TcpServer(new TcpServerOptions { Address = IPAddress.Loopback, Port = 0 },
            new EchoHandler(new EchoOptions(), factory), factory);
        server.Start();
        using (var client = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, server.EndPoint.Port, ct);
            await client.SendAllAsync("hello\n"u8.ToArray(), ct);
            await client.ReadExactlyAsync(6, ct);
        }

        await server.StopAsync();

        Assert.DoesNotContain(collector.GetSnapshot(), r => r.Level == LogLevel.Debug);
    }

    [Fact]
    public async Task The_server_listens_on_IPv4_and_IPv6_at_once_by_default()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        var ct = TestTimeout.Token();
        var (factory, _) = TestLogging.Create();
        var server = new TcpServer(new TcpServerOptions { Port = 0 }, new EchoHandler(new EchoOptions(), factory), factory);
        server.Start();
        try
        {
            foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
            {
                using var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(address, server.EndPoint.Port, ct);
                await client.SendAllAsync("v\n"u8.ToArray(), ct);
                Assert.Equal("v\n"u8.ToArray(), await client.ReadExactlyAsync(2, ct));
            }

            Assert.Equal(IPAddress.IPv6Any, server.EndPoint.Address);
            Assert.Contains(server.ReachableAt, e => IPAddress.IsLoopback(e.Address) && e.AddressFamily == AddressFamily.InterNetwork);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>Random bytes could spell a command at a line start; make sure they do not.</summary>
    private static void NeutraliseCommands(byte[] data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if ((i == 0 || data[i - 1] == '\n') && (data[i] | 0x20) is (byte)'e' or (byte)'s')
            {
                data[i] = (byte)'x';
            }
        }
    }
}
