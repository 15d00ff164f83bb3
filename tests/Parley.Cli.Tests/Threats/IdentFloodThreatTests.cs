using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16: "2,500 connections a second from one address to serve ident" took every descriptor and kept a client
/// from another address waiting 9.7 s. Now one address holds at most 64 connections (the default), the rest are
/// told <c>busy</c> at once, the refusals are logged at most once a second, and another address is served.
/// </summary>
public sealed class IdentFloodThreatTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");

    private static async Task<Socket> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(Flooder, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        return socket;
    }

    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) is var n and > 0)
        {
            all.Write(buffer, 0, n);
        }

        return Encoding.UTF8.GetString(all.ToArray());
    }

    [Fact]
    public async Task A_flood_from_one_address_is_told_busy_beyond_64_connections_while_another_address_is_greeted()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(2));
        using var folder = new TempFolder("parley-cli-db-");
        var (server, port) = await DialogServerProcess.StartAsync("ident", folder.Combine("parley.db"), ct);
        await using var _ = server;
        await server.WaitForAsync(new Regex("max connections per address 64,"), ct, standardError: true);
        var held = new List<Socket>();
        var started = DateTime.UtcNow;
        try
        {
            for (var i = 0; i < 64; i++)
            {
                held.Add(await ConnectAsync(port, ct));
            }

            // The flood: connection after connection from the same address, each hanging up after the answer.
            var flood = Task.Run(async () =>
            {
                var busy = 0;
                for (var i = 0; i < 1000; i++)
                {
                    using var socket = await ConnectAsync(port, ct);
                    busy += (await ReadToEndAsync(socket, ct)).Contains("\"code\":\"busy\"", StringComparison.Ordinal) ? 1 : 0;
                }

                return busy;
            }, ct);
            var (exit, client) = await ParleyProcess.RunAsync("Carol\nexit\n", ct,
                "client", "ident", "--host", "127.0.0.1", "--port", $"{port}", "--source", "127.0.0.3");
            await using var __ = client;
            var busyAnswers = await flood;
            var seconds = (DateTime.UtcNow - started).TotalSeconds;

            Assert.Equal(0, exit);
            Assert.StartsWith("Nice to meet you, Carol. I will know you by your address 127.0.0.3", client.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(1000, busyAnswers);
            await server.WaitForAsync(new Regex(@"Refused a connection from 127\.0\.0\.2: 64 connections from this address already"), ct,
                standardError: true);
            var refusalLines = Regex.Matches(server.StandardError, @"Refused .*from 127\.0\.0\.2").Count;
            Assert.InRange(refusalLines, 1, (int)Math.Ceiling(seconds) + 2);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }
}
