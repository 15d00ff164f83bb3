using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Monitoring;

/// <summary><c>--otlp-endpoint</c> on the real program, against a stand-in collector on loopback speaking OTLP over HTTP.</summary>
public sealed class OtlpProcessTests
{
    [Fact]
    public async Task At_stop_the_server_exports_its_instruments_to_the_collector_over_otlp_http()
    {
        var ct = TestTimeout.Token();
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)collector.LocalEndpoint).Port}/v1/metrics";
        var received = CollectAsync(collector, "parley.server.connection.duration", ct);

        var (server, port) = await EchoServerProcess.StartAsync(ct, "--otlp-endpoint", url);
        await using var _ = server;
        await server.WaitForAsync(new System.Text.RegularExpressions.Regex("Exporting metrics over OTLP \\(HTTP/protobuf\\)"), ct, standardError: true);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            await client.GetStream().WriteAsync("exit\n"u8.ToArray(), ct);
            while (await client.GetStream().ReadAsync(new byte[64], ct) > 0)
            {
            }
        }

        await server.Input.WriteLineAsync("stop");
        await server.Input.FlushAsync(ct);
        var request = await received;

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.StartsWith("POST /v1/metrics HTTP/1.1", request.Head, StringComparison.Ordinal);
        Assert.Contains("application/x-protobuf", request.Head, StringComparison.OrdinalIgnoreCase);
        // Protocol buffers keep strings as UTF-8: the instrument's and the attribute's names are there as written.
        Assert.Contains("parley.server.connection.duration", request.Body, StringComparison.Ordinal);
        Assert.Contains("exit_command", request.Body, StringComparison.Ordinal);
    }

    /// <summary>Answers every export with 200 until one holds <paramref name="wanted"/>; returns that one.</summary>
    private static async Task<(string Head, string Body)> CollectAsync(TcpListener collector, string wanted, CancellationToken ct)
    {
        while (true)
        {
            using var connection = await collector.AcceptTcpClientAsync(ct);
            var stream = connection.GetStream();
            while (await ReadRequestAsync(stream, ct) is { } request)
            {
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), ct);
                if (request.Body.Contains(wanted, StringComparison.Ordinal))
                {
                    return request;
                }
            }
        }
    }

    private static async Task<(string Head, string Body)?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var data = new List<byte>();
        var buffer = new byte[1];
        while (!EndsWithBlankLine(data))
        {
            if (await stream.ReadAsync(buffer, ct) == 0)
            {
                return null;
            }

            data.Add(buffer[0]);
        }

        var head = Encoding.ASCII.GetString([.. data]);
        var lengthLine = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var body = new byte[int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body, ct);
        return (head, Encoding.Latin1.GetString(body));
    }

    private static bool EndsWithBlankLine(List<byte> data) =>
        data.Count >= 4 && data[^4] == '\r' && data[^3] == '\n' && data[^2] == '\r' && data[^1] == '\n';
}
