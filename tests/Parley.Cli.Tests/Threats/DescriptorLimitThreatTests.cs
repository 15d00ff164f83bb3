using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16: the ident flood "reached the descriptor limit ('Too many open files' in accept)". Now the default
/// <c>--max-connections</c> stays below what the limit allows, and a server told to have no limit survives running
/// out: it backs off, says so at most once a second, and serves again once descriptors free up.
/// </summary>
public sealed class DescriptorLimitThreatTests
{
    private const int Limit = 200;

    private static ParleyProcess StartWithDescriptorLimit(params string[] extra) =>
        ParleyProcess.StartInShell($"ulimit -n {Limit} && exec {{parley}}",
            ["serve", "echo", "--raw", "--port", "0", "--host", "127.0.0.1", "--no-prompt", .. extra]);

    private static async Task<List<Socket>> OpenAsync(int port, int count, CancellationToken ct)
    {
        var sockets = new List<Socket>();
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        }

        return sockets;
    }

    private static async Task<string> EchoAsync(int port, string text, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), SocketFlags.None, ct);
        var buffer = new byte[text.Length];
        var read = 0;
        try
        {
            while (read < buffer.Length && await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct) is var n and > 0)
            {
                read += n;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Refused: what came back so far is the answer.
        }

        return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static long SoftOpenFileLimit(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_default_max_connections_is_what_the_open_file_limit_leaves_less_a_margin()
    {
        var ct = TestTimeout.Token();
        var (server, _) = await EchoServerProcess.StartAsync(ct);
        await using var __ = server;

        var limit = SoftOpenFileLimit(server.Id);
        var open = Directory.GetFileSystemEntries($"/proc/{server.Id}/fd").Length;
        var margin = Math.Max(128, limit / 10);
        var shown = long.Parse((await server.WaitForAsync(new Regex(@"max connections (\d+),"), ct, standardError: true)).Groups[1].Value,
            CultureInfo.InvariantCulture);

        Assert.InRange(shown, limit - open - margin, limit - margin);
        Assert.Contains("max connections per address unlimited,", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_the_server_refuses_connections_before_it_runs_out_of_descriptors()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(1));
        await using var server = StartWithDescriptorLimit();
        var port = await server.WaitForListeningPortAsync(ct);
        var max = int.Parse((await server.WaitForAsync(new Regex(@"max connections (\d+),"), ct, standardError: true)).Groups[1].Value,
            CultureInfo.InvariantCulture);
        Assert.InRange(max, 1, Limit - 128);

        var sockets = await OpenAsync(port, Limit + 50, ct);
        try
        {
            await server.WaitForAsync(new Regex($"the server has its maximum of {max} connections"), ct, standardError: true);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        // Refused until the server has seen the held connections close: poll, with the test's deadline.
        while (await EchoAsync(port, "after", ct) != "after")
        {
            await Task.Delay(50, ct);
        }

        Assert.DoesNotContain("Accepting a connection failed", server.StandardError, StringComparison.Ordinal);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Out_of_descriptors_with_no_connection_limit_the_server_backs_off_and_serves_again_once_they_free()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(1));
        await using var server = StartWithDescriptorLimit("--max-connections", "0");
        var port = await server.WaitForListeningPortAsync(ct);
        var started = DateTime.UtcNow;

        var sockets = await OpenAsync(port, Limit + 50, ct);
        try
        {
            await server.WaitForAsync(new Regex("Accepting a connection failed: .*open files"), ct, standardError: true);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        Assert.Equal("after", await EchoAsync(port, "after", ct));
        Assert.False(server.HasExited);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Assert.InRange(Regex.Matches(server.StandardError, "Accepting a connection failed").Count, 1, (int)Math.Ceiling(seconds) + 2);
    }
}
