using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Cli.Hosting;
using Parley.Cli.Options;
using Parley.Hosting;

namespace Parley.Cli.Tests.Monitoring;

/// <summary>
/// <c>/healthz</c> over real HTTP on loopback, with the <see cref="HealthProbe"/> a store or relay gives
/// <see cref="ServerRunner"/>: 503 and its reason while the server stops or the probe says its dependency is down.
/// </summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_is_503_with_the_probes_reason_while_the_store_is_down_then_200_again()
    {
        var ct = TestTimeout.Token();
        var healthy = true;
        HealthProbe probe = _ => ValueTask.FromResult(Volatile.Read(ref healthy) ? HealthStatus.Healthy : HealthStatus.Unhealthy("the database does not answer"));
        await using var monitoring = Start(new StubServer(), probe);
        using var http = new HttpClient();
        var healthz = new Uri($"http://{monitoring.MetricsEndPoint}/healthz");

        Assert.Equal((HttpStatusCode.OK, "ok\n"), await GetAsync(http, healthz, ct));
        Volatile.Write(ref healthy, false);
        // The last answer is kept for a second: poll until the new one shows.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "the database does not answer\n"),
            await PollAsync(http, healthz, HttpStatusCode.ServiceUnavailable, ct));
        Volatile.Write(ref healthy, true);
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await PollAsync(http, healthz, HttpStatusCode.OK, ct));
    }

    [Fact]
    public async Task Healthz_is_503_stopping_once_the_server_is_asked_to_stop()
    {
        var ct = TestTimeout.Token();
        var server = new StubServer();
        await using var monitoring = Start(server, probe: null);
        using var http = new HttpClient();
        var healthz = new Uri($"http://{monitoring.MetricsEndPoint}/healthz");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, healthz, ct)).Status);

        server.RequestStop("test");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "stopping\n"), await GetAsync(http, healthz, ct));
    }

    [Fact]
    public async Task A_probe_that_throws_or_hangs_makes_the_server_unhealthy_with_one_line()
    {
        var time = new FakeTimeProvider();
        var throwing = new ServerHealth(() => false, _ => throw new InvalidOperationException("connection refused\nat line 2"), time);
        var hanging = new ServerHealth(() => false, async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, ct);
            return HealthStatus.Healthy;
        }, time);

        var thrown = await throwing.CheckAsync();
        var pending = hanging.CheckAsync();
        time.Advance(ServerHealth.ProbeTimeout);
        var timedOut = await pending.WaitAsync(TestTimeout.Token());

        Assert.False(thrown.IsHealthy);
        Assert.DoesNotContain('\n', thrown.Reason);
        Assert.StartsWith("connection refused", thrown.Reason, StringComparison.Ordinal);
        Assert.False(timedOut.IsHealthy);
        Assert.StartsWith("no answer from the health check within 2", timedOut.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_is_asked_at_most_once_a_second_however_often_healthz_is_polled()
    {
        var time = new FakeTimeProvider();
        var asked = 0;
        var health = new ServerHealth(() => false, _ =>
        {
            Interlocked.Increment(ref asked);
            return ValueTask.FromResult(HealthStatus.Healthy);
        }, time);

        for (var i = 0; i < 10; i++)
        {
            await health.CheckAsync();
        }

        time.Advance(ServerHealth.CacheFor);
        await health.CheckAsync();

        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task Other_paths_and_methods_and_oversized_heads_get_their_4xx_and_the_endpoint_keeps_serving()
    {
        var ct = TestTimeout.Token();
        await using var monitoring = Start(new StubServer(), probe: null);
        var endPoint = monitoring.MetricsEndPoint!;

        Assert.StartsWith("HTTP/1.1 404 ", await RawAsync(endPoint, "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n", ct), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 405 ", await RawAsync(endPoint, "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n", ct), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400 ", await RawAsync(endPoint, "\u0016\u0003\u0001 hello\r\n\r\n", ct), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 431 ", await RawAsync(endPoint, "GET /metrics HTTP/1.1\r\nX: " + new string('a', 9000), ct), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", await RawAsync(endPoint, "GET /healthz HTTP/1.0\r\n\r\n", ct), StringComparison.Ordinal);
    }

    private static ServerMonitoring Start(IServer server, HealthProbe? probe) =>
        ServerMonitoring.Start(new MonitoringSettings(new IPEndPoint(IPAddress.Loopback, 0), null), NullLoggerFactory.Instance, server, probe);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PollAsync(HttpClient http, Uri url, HttpStatusCode wanted, CancellationToken ct)
    {
        while (true)
        {
            var answer = await GetAsync(http, url, ct);
            if (answer.Status == wanted)
            {
                return answer;
            }

            await Task.Delay(50, ct);
        }
    }

    private static async Task<string> RawAsync(IPEndPoint endPoint, string request, CancellationToken ct)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint, ct);
        await client.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        try
        {
            while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Answered before the whole oversized head was read: the close may come as a reset after the answer.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    private sealed class StubServer : IServer
    {
        private volatile bool _stopping;

        public IPEndPoint EndPoint { get; } = new(IPAddress.Loopback, 1);

        public IReadOnlyList<IPEndPoint> ReachableAt => [EndPoint];

        public Task Completion => Task.CompletedTask;

        public bool IsStopping => _stopping;

        public void Start()
        {
        }

        public void RequestStop(string requestedBy) => _stopping = true;

        public Task StopAsync(string requestedBy = "the host")
        {
            _stopping = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
