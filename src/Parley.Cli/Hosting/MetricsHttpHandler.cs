using System.Buffers;
using System.Text;
using Parley.Tcp;
using Prometheus;

namespace Parley.Cli.Hosting;

/// <summary>
/// The HTTP side of <c>--metrics</c>: <c>GET /metrics</c> (the Prometheus text format, written by prometheus-net) and
/// <c>GET /healthz</c>, one request per connection (<c>Connection: close</c>). A request head over
/// <see cref="MaxHead"/> bytes, or anything but GET or HEAD, gets its 4xx answer and the connection closes.
/// </summary>
internal sealed class MetricsHttpHandler(CollectorRegistry registry, ServerHealth health) : ITcpConnectionHandler
{
    public const int MaxHead = 8 * 1024;

    private const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";
    private const string PlainText = "text/plain; charset=utf-8";

    public string ServiceName => "metrics";

    public string DescribeSettings() => "GET /metrics and /healthz";

    public async Task HandleAsync(ServerConnection connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHead);
        try
        {
            var length = 0;
            int lineEnd;
            while ((lineEnd = buffer.AsSpan(0, length).IndexOf((byte)'\n')) < 0 || !HeadComplete(buffer.AsSpan(0, length)))
            {
                if (length == MaxHead)
                {
                    await RespondAsync(connection, 431, "Request Header Fields Too Large", PlainText, "request head over 8 KB\n", head: false);
                    return;
                }

                var read = await connection.Transport.ReadAsync(buffer.AsMemory(length, MaxHead - length), connection.Stopping);
                if (read == 0)
                {
                    connection.SetCloseReason(CloseReason.ClosedByClient);
                    return;
                }

                connection.OnReceived(read);
                length += read;
            }

            var requestLine = Encoding.ASCII.GetString(buffer, 0, lineEnd).TrimEnd('\r');
            var parts = requestLine.Split(' ');
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                await RespondAsync(connection, 400, "Bad Request", PlainText, "not an HTTP/1.x request\n", head: false);
                return;
            }

            var head = parts[0] == "HEAD";
            if (!head && parts[0] != "GET")
            {
                await RespondAsync(connection, 405, "Method Not Allowed", PlainText, "only GET and HEAD\n", head: false);
                return;
            }

            var query = parts[1].IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? parts[1] : parts[1][..query];
            switch (path)
            {
                case "/metrics":
                    using (var body = new MemoryStream())
                    {
                        await registry.CollectAndExportAsTextAsync(body, connection.Stopping);
                        await RespondAsync(connection, 200, "OK", PrometheusText, body.GetBuffer().AsMemory(0, (int)body.Length), head);
                    }

                    break;
                case "/healthz":
                    var status = await health.CheckAsync();
                    await RespondAsync(connection, status.IsHealthy ? 200 : 503, status.IsHealthy ? "OK" : "Service Unavailable", PlainText,
                        status.IsHealthy ? "ok\n" : status.Reason + "\n", head);
                    break;
                default:
                    await RespondAsync(connection, 404, "Not Found", PlainText, "only /metrics and /healthz\n", head);
                    break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The head ends at the first empty line; bare LF line ends are taken too, as most servers do.
    private static bool HeadComplete(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8) >= 0 || data.IndexOf("\n\n"u8) >= 0;

    private static Task RespondAsync(ServerConnection connection, int code, string reason, string contentType, string body, bool head) =>
        RespondAsync(connection, code, reason, contentType, Encoding.UTF8.GetBytes(body), head);

    private static async Task RespondAsync(
        ServerConnection connection, int code, string reason, string contentType, ReadOnlyMemory<byte> body, bool head)
    {
        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {code} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await connection.Transport.WriteAsync(header, connection.Stopping);
        connection.OnSent(header.Length);
        if (!head)
        {
            await connection.Transport.WriteAsync(body, connection.Stopping);
            connection.OnSent(body.Length);
        }

        connection.SetCloseReason(CloseReason.Completed);
    }
}
