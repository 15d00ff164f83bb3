using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Echo;
using Parley.Framing;
using Parley.Shared;
using Parley.Tcp;
using Parley.Tests.Support;
using Parley.Tests.Tls;
using Parley.Tls;

namespace Parley.Tests.Tcp;

/// <summary>The TCP server's instruments, told apart from other tests' servers by their <c>server.port</c>.</summary>
public sealed class TcpMetricsTests
{
    [Fact]
    public async Task A_refused_connection_and_framed_messages_are_counted_for_their_server()
    {
        var ct = TestTimeout.Token();
        using var rejected = new MetricCollector<long>(ParleyMeter.Instance, "parley.server.rejected_connections");
        using var messages = new MetricCollector<long>(ParleyMeter.Instance, "parley.server.messages");
        using var durations = new MetricCollector<double>(ParleyMeter.Instance, "parley.server.connection.duration");
        await using var server = LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = EchoMode.Framed }, logs),
            o => o.MaxConnections = 1);

        using (var first = await server.ConnectAsync(cancellationToken: ct))
        {
            await using var stream = new MessageStream(new NetworkStream(first));
            foreach (var text in new[] { "one", "two", "three" })
            {
                await stream.SendMessageAsync(text, ct);
                Assert.Equal(text, await stream.ReceiveMessageAsync(ct));
            }

            using var second = await server.ConnectAsync(cancellationToken: ct);
            Assert.Equal(0, await second.ReceiveAsync(new byte[16], SocketFlags.None, ct));
            first.Shutdown(SocketShutdown.Send);
            Assert.Null(await stream.ReceiveMessageAsync(ct));
        }

        Assert.Equal(1, OfPort(rejected, server.Port).Sum(m => m.Value));
        Assert.Equal(3, OfPort(messages, server.Port).Sum(m => m.Value));
        var closed = Assert.Single(OfPort(durations, server.Port));
        Assert.Equal("closed_by_client", closed.Tags["parley.close_reason"]);
        Assert.Equal("echo", closed.Tags["parley.service"]);
        Assert.Equal("tcp", closed.Tags["network.transport"]);
    }

    [Fact]
    public async Task Tls_handshakes_are_timed_and_a_failed_one_carries_its_error_type()
    {
        var ct = TestTimeout.Token();
        using var handshakes = new MetricCollector<double>(ParleyMeter.Instance, "parley.server.tls_handshake.duration");
        await using var server = LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs),
            o => o.Transform = TlsTestCertificates.Transform());

        await using (var client = await TcpConnector.ConnectAsync("127.0.0.1", server.Port,
            new ConnectOptions { Tls = new TlsClientOptions { Pinned = CertificateFingerprint.Of(TlsTestCertificates.Localhost) } }, NullLogger.Instance, ct))
        {
            await client.Stream.WriteAsync("exit\n"u8.ToArray(), ct);
            await client.Stream.CopyToAsync(Stream.Null, ct);
        }

        using (var plain = await server.ConnectAsync(cancellationToken: ct))
        {
            await plain.SendAsync("hello in clear\n"u8.ToArray(), SocketFlags.None, ct);
            while (await plain.ReceiveAsync(new byte[256], SocketFlags.None, ct) > 0)
            {
            }
        }

        await Poll.UntilAsync(() => OfPort(handshakes, server.Port).Count == 2, "two handshakes measured");
        var measured = OfPort(handshakes, server.Port);
        Assert.Single(measured, m => !m.Tags.ContainsKey("error.type"));
        Assert.Single(measured, m => m.Tags.ContainsKey("error.type"));
    }

    private static List<CollectedMeasurement<T>> OfPort<T>(MetricCollector<T> collector, int port)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue("server.port", out var p) && p is int n && n == port)];
}
