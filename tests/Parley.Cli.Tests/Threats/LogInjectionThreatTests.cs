using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;
using Parley.Framing;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Threat: a client sends a dialog message whose JSON property name (or type) holds ESC, CR, LF and BEL, hoping the
/// server quotes it raw on its console and in its log file: clearing the screen, retitling the terminal, forging a
/// log line. Everything that came from the network reaches the console and the log file escaped.
/// </summary>
public sealed class LogInjectionThreatTests
{
    private const string Forged = "\u001b]0;owned\u0007\u001b[2J\r\n00:00:00.000 INF forged line";

    [Theory]
    [InlineData("ident")]
    [InlineData("auth")]
    public async Task Control_characters_in_a_json_property_name_or_type_reach_neither_console_nor_log_file_raw(string service)
    {
        var ct = TestTimeout.Token();
        using var folder = new TempFolder("parley-cli-db-");
        var db = folder.Combine("parley.db");
        var log = folder.Combine("server.log");
        var (server, port) = await DialogServerProcess.StartAsync(service, db, ct, "--log-file", log, "--log-console", "--log-level", "debug");
        await using var _ = server;

        using (var client = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            var name = System.Text.Json.JsonEncodedText.Encode(Forged).ToString();
            await SendAsync(client, $"{{\"type\":\"answer\",\"{name}\":1}}", ct);
            await SendAsync(client, $"{{\"type\":\"{name}\"}}", ct);
            await SendAsync(client, $"{{\"type\":\"answer\",\"text\":\"x\",\"{name}\":[}}", ct);
            await server.WaitForAsync(new Regex("disconnected"), ct, standardError: true);
        }

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(ct));
        var file = await File.ReadAllTextAsync(log, ct);
        foreach (var output in new[] { server.StandardError, file })
        {
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
            Assert.DoesNotContain("\n00:00:00.000 INF forged", output, StringComparison.Ordinal);
            Assert.DoesNotContain('\r', output);
        }

        Assert.Contains("\\x1b]0;owned\\x07", server.StandardError, StringComparison.Ordinal);
    }

    private static async Task SendAsync(Socket client, string json, CancellationToken ct)
    {
        var writer = new ArrayBufferWriter<byte>();
        LengthPrefixCodec.WriteMessage(writer, json);
        try
        {
            await client.SendAsync(writer.WrittenMemory, SocketFlags.None, ct);
        }
        catch (SocketException)
        {
            // The server may already have ended the conversation over an earlier bad message: that is its right.
        }
    }
}
