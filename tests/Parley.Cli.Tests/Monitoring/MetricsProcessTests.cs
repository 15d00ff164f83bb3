using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Monitoring;

/// <summary><c>--metrics</c> on the real program: what a Prometheus scrape of a server that served known traffic shows.</summary>
public sealed partial class MetricsProcessTests
{
    [Fact]
    public async Task After_known_echo_traffic_a_scrape_shows_exactly_those_connections_bytes_and_closes()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--metrics", "127.0.0.1:0", "--quiet");
        await using var _ = server;
        var metrics = await MetricsUrlAsync(server, ct);

        const int Connections = 5;
        var sent = 0;
        for (var i = 0; i < Connections; i++)
        {
            var line = Encoding.ASCII.GetBytes($"hello {i}\n");
            Assert.Equal(line, await EchoAndCloseAsync(port, line, ct));
            sent += line.Length;
        }

        var exit = "bye\nexit\n"u8.ToArray();
        Assert.Equal("bye\n"u8.ToArray(), await EchoAndCloseAsync(port, exit, ct));

        var text = await ScrapeAsync(metrics, ct);
        var echo = $"parley_service=\"echo\",network_transport=\"tcp\",server_port=\"{port}\"";
        Assert.Equal(Connections, Sample(text, $"parley_server_connection_duration_seconds_count{{{echo},parley_close_reason=\"closed_by_client\"}}"));
        Assert.Equal(1, Sample(text, $"parley_server_connection_duration_seconds_count{{{echo},parley_close_reason=\"exit_command\"}}"));
        // Every closed connection is in the histogram's last bucket.
        Assert.Equal(Connections, Sample(text,
            $"parley_server_connection_duration_seconds_bucket{{{echo},parley_close_reason=\"closed_by_client\",le=\"+Inf\"}}"));
        Assert.Equal(sent + exit.Length, Sample(text, $"parley_server_io_bytes_total{{{echo},network_io_direction=\"receive\"}}"));
        Assert.Equal(sent + "bye\n".Length, Sample(text, $"parley_server_io_bytes_total{{{echo},network_io_direction=\"transmit\"}}"));
        Assert.Equal(0, Sample(text, $"parley_server_active_connections{{{echo}}}"));
        Assert.Equal(1, Sample(text, "parley_echo_commands_total{parley_command=\"exit\"}"));
        Assert.Contains("# TYPE parley_server_io_bytes_total counter", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_known_chat_datagrams_a_scrape_shows_the_members_messages_and_datagrams()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await ChatServerProcess.StartAsync(ct, "--metrics", "127.0.0.1:0", "--quiet");
        await using var _ = server;
        var metrics = await MetricsUrlAsync(server, ct);
        using var alice = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var bob = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var chat = new IPEndPoint(IPAddress.Loopback, port);

        await JoinAsync(alice, chat, "alice", ct);
        await JoinAsync(bob, chat, "bob", ct);
        await alice.SendAsync("hello bob\n"u8.ToArray(), chat, ct);
        await ReceiveUntilAsync(bob, "<alice> hello bob", ct);
        await bob.SendAsync("/msg alice psst\n"u8.ToArray(), chat, ct);
        await ReceiveUntilAsync(alice, "psst", ct);

        var text = await ScrapeAsync(metrics, ct);
        var udp = $"parley_service=\"chat\",network_transport=\"udp\",server_port=\"{port}\"";
        Assert.Equal(2, Sample(text, "parley_chat_members"));
        Assert.Equal(1, Sample(text, "parley_chat_messages_total{parley_chat_audience=\"public\"}"));
        Assert.Equal(1, Sample(text, "parley_chat_messages_total{parley_chat_audience=\"private\"}"));
        // Each join is two datagrams (the /join and the answer to its challenge), then one public, one private message.
        Assert.Equal(6, Sample(text, $"parley_server_datagrams_total{{{udp},network_io_direction=\"receive\"}}"));
        Assert.True(Sample(text, $"parley_server_datagrams_total{{{udp},network_io_direction=\"transmit\"}}") >= 4);
    }

    [Fact]
    public async Task Healthz_answers_200_ok_while_the_server_runs()
    {
        var ct = TestTimeout.Token();
        var (server, _) = await EchoServerProcess.StartAsync(ct, "--metrics", "127.0.0.1:0");
        await using var __ = server;
        var metrics = await MetricsUrlAsync(server, ct);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(metrics, "/healthz"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("9464", "is not ADDRESS:PORT")]
    [InlineData("127.0.0.1:http", "is not a port")]
    [InlineData("127.0.0.1:70000", "is out of range")]
    [InlineData("metrics.example:9464", "is not an IP address")]
    [InlineData("::1:9464", "is not an IP address")]
    public async Task A_bad_metrics_value_is_one_line_and_exit_code_2(string value, string reason)
    {
        var ct = TestTimeout.Token();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--port", "0", "--metrics", value);
        await using var _ = process;

        Assert.Equal(2, exit);
        var line = Assert.Single(process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("parley:", StringComparison.Ordinal));
        Assert.StartsWith("parley: --metrics: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening on", process.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metrics_port_in_use_is_one_line_and_exit_code_1_before_the_service_port_opens()
    {
        var ct = TestTimeout.Token();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, process) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--host", "127.0.0.1", "--port", "0", "--metrics", $"127.0.0.1:{busy}");
        await using var _ = process;

        Assert.Equal(1, exit);
        Assert.Matches($@"(?m)^parley: --metrics: .*{busy}.*in use", process.StandardError);
        Assert.DoesNotContain("Listening", process.StandardOutput + process.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_beyond_loopback_log_a_warning()
    {
        var ct = TestTimeout.Token();
        var (server, _) = await EchoServerProcess.StartAsync(ct, "--metrics", "0.0.0.0:0");
        await using var __ = server;

        await server.WaitForAsync(BeyondLoopback(), ct, standardError: true);
    }

    internal static async Task<Uri> MetricsUrlAsync(ParleyProcess server, CancellationToken ct)
    {
        var match = await server.WaitForAsync(MetricsLine(), ct);
        return new Uri(match.Groups["url"].Value);
    }

    /// <summary>Polls <c>/healthz</c> until it answers <paramref name="status"/>; the last answer's body.</summary>
    internal static async Task<string> HealthzAsync(Uri metrics, HttpStatusCode status, CancellationToken ct)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(new Uri(metrics, "/healthz"), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == status)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/healthz still answers {(int)response.StatusCode} {body}");
            await Task.Delay(200, ct);
        }
    }

    internal static async Task<string> ScrapeAsync(Uri metrics, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(metrics, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>The value of one series (name and labels exactly as written); fails when the scrape lacks it.</summary>
    internal static double Sample(string scrape, string series)
    {
        var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No series {series} in the scrape:\n{scrape}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]> EchoAndCloseAsync(int port, byte[] data, CancellationToken ct)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        await client.SendAsync(data, SocketFlags.None, ct);
        client.Shutdown(SocketShutdown.Send);
        // Read to the end: the server counts a connection before it closes it, so the end means it is counted.
        var received = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    private static async Task JoinAsync(UdpClient member, IPEndPoint chat, string nickname, CancellationToken ct)
    {
        await member.SendAsync(Encoding.UTF8.GetBytes($"/join {nickname}\n"), chat, ct);
        var challenge = await ReceiveUntilAsync(member, "? /join", ct);
        await member.SendAsync(Encoding.UTF8.GetBytes(challenge.TrimStart('?', ' ')), chat, ct);
        await ReceiveUntilAsync(member, "you joined", ct);
    }

    private static async Task<string> ReceiveUntilAsync(UdpClient member, string text, CancellationToken ct)
    {
        while (true)
        {
            var datagram = Encoding.UTF8.GetString((await member.ReceiveAsync(ct)).Buffer);
            if (datagram.Contains(text, StringComparison.Ordinal))
            {
                return datagram;
            }
        }
    }

    [GeneratedRegex(@"^Metrics on (?<url>http://\S+/metrics)$", RegexOptions.Multiline)]
    private static partial Regex MetricsLine();

    [GeneratedRegex("reachable beyond this machine and has no authentication")]
    private static partial Regex BeyondLoopback();
}
