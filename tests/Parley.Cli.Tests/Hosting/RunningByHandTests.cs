using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Commands.Echo;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Hosting;

/// <summary>Issue 3: prompts at a terminal, automatic port choice, and log files, through the real program.</summary>
public sealed class RunningByHandTests
{
    [Fact]
    public async Task With_standard_input_redirected_nothing_is_asked()
    {
        var ct = TestTimeout.Token();
        await using var server = ParleyProcess.Start(["serve", "echo", "--host", "127.0.0.1"], new Dictionary<string, string?> { ["PARLEY_PORT"] = "0" });

        await server.WaitForListeningPortAsync(ct);

        Assert.DoesNotContain("Port to listen on", server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Port to listen on", server.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_a_terminal_the_server_asks_for_the_port_and_asks_again_after_a_bad_answer()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Fail("This test needs script(1) from util-linux to give parley a terminal.");
        }

        var ct = TestTimeout.Token();
        var port = EchoProcessTests.ClosedPort();
        // script(1) runs parley on a pseudo-terminal; what we write to its input is typed on that terminal.
        var start = new ProcessStartInfo("/usr/bin/script", ["-qfec", $"{ParleyProcess.Executable} serve echo --host 127.0.0.1 --log-level warning", "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = Path.GetTempPath();
        using var script = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await script.StandardOutput.ReadAsync(buffer, ct)) > 0)
            {
                lock (output)
                {
                    output.Append(buffer, 0, n);
                }
            }
        }, ct);
        string Seen()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        try
        {
            await script.StandardInput.WriteAsync($"0x10\r{port}\r");
            await script.StandardInput.FlushAsync(ct);
            while (!Regex.IsMatch(Seen(), @"Listening on \S+:\d+"))
            {
                Assert.False(script.HasExited, Seen());
                await Task.Delay(20, ct);
            }

            await script.StandardInput.WriteAsync("stop\r");
            await script.StandardInput.FlushAsync(ct);
            await script.WaitForExitAsync(ct);
            await reading;

            var seen = Seen();
            Assert.Contains("Port to listen on [9000]: 0x10", seen, StringComparison.Ordinal);
            Assert.Contains("'0x10' is not a port: use a whole number from 1 to 65535", seen, StringComparison.Ordinal);
            Assert.Contains($"Listening on 127.0.0.1:{port}", seen, StringComparison.Ordinal);
            Assert.Equal(0, script.ExitCode);
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_port_held_by_someone_else_makes_the_server_take_the_next_one_and_say_so()
    {
        var ct = TestTimeout.Token();
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        await using var server = ParleyProcess.Start("serve", "echo", "--host", "127.0.0.1", "--port", $"{port}");
        var actual = await server.WaitForListeningPortAsync(ct);

        Assert.NotEqual(port, actual);
        await server.WaitForAsync(new Regex(Regex.Escape($"port {port} is in use, trying {port + 1}")), ct, standardError: true);
    }

    [OrdinaryUserFact]
    public async Task A_privileged_port_is_refused_for_an_ordinary_user_with_a_clear_line()
    {
        var ct = TestTimeout.Token();
        string[] command = ["serve", "echo", "--host", "127.0.0.1", "--port", "80"];
        ParleyProcess server;
        using var copy = new TempFolder("parley-nobody-");
        if (OrdinaryUserFactAttribute.AsRoot)
        {
            // Root may bind port 80; to see what an ordinary user sees, drop to 'nobody' for this one run.
            server = ParleyProcess.StartWrapped("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"], command,
                program: OrdinaryUserFactAttribute.ProgramForNobody(copy));
        }
        else
        {
            server = ParleyProcess.Start(command);
        }

        await using var _ = server;
        Assert.Equal(1, await server.WaitForExitAsync(ct));
        Assert.StartsWith("parley: permission denied for port 80 (ports below 1024 need root or CAP_NET_BIND_SERVICE",
            EchoProcessTests.ErrorLine(server), StringComparison.Ordinal);
        Assert.DoesNotContain("trying 81", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_stop_the_log_file_holds_every_event_of_the_session_in_order_and_the_console_only_the_listening_line()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;
        var log = Path.Combine(home, "server.log");
        await using var server = ParleyProcess.Start(["serve", "echo", "--host", "127.0.0.1", "--port", "0", "--log-file", log, "--log-level", "debug"], home: home);
        var port = await server.WaitForListeningPortAsync(ct);

        var (exit, client) = await ParleyProcess.RunAsync("hello\nstop\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}");
        await using var __ = client;
        Assert.Equal(0, exit);
        Assert.Equal(0, await server.WaitForExitAsync(ct));

        var lines = await File.ReadAllLinesAsync(log, ct);
        // The stopping client's goodbye and the server's "stopping" happen at the same time, in either order.
        string[] story = ["ServerStarting", "Listening", "ClientConnected", "DataReceived", "DataSent", "StopCommand", "StopRequested",
            "ClientDisconnected", "ServerStopped"];
        var events = lines.Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(story, events.Where(story.Contains).Distinct());
        Assert.InRange(events.IndexOf("ServerStopping"), events.IndexOf("StopRequested"), events.IndexOf("ServerStopped"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d INF ClientConnected \[conn 1\] Client 1 connected from 127\.0\.0\.1:\d+", lines.First(l => l.Contains("ClientConnected", StringComparison.Ordinal)));
        Assert.Empty(server.StandardError);
        Assert.Matches(@"^Listening on 127\.0\.0\.1:\d+\n$", server.StandardOutput);
    }

    [Fact]
    public async Task With_log_console_the_events_go_to_both()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;
        var log = Path.Combine(home, "server.log");
        await using var server = ParleyProcess.Start(["serve", "echo", "--host", "127.0.0.1", "--port", "0", "--log-file", log, "--log-console"], home: home);
        await server.WaitForListeningPortAsync(ct);

        server.Signal("TERM");

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("ServerStopped", await File.ReadAllTextAsync(log, ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_log_lines_parse_and_carry_the_structured_fields()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;
        var log = Path.Combine(home, "server.json");
        await using var server = ParleyProcess.Start(["serve", "echo", "--host", "127.0.0.1", "--port", "0", "--log-file", log, "--log-format", "json"], home: home);
        var port = await server.WaitForListeningPortAsync(ct);
        var (_, client) = await ParleyProcess.RunAsync("x\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}");
        await using var __ = client;

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(ct));

        var events = (await File.ReadAllLinesAsync(log, ct)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var connected = events.Single(e => e.GetProperty("EventId").GetProperty("Name").GetString() == "ClientConnected");
        Assert.Equal(1, connected.GetProperty("ConnectionId").GetInt32());
        Assert.StartsWith("127.0.0.1:", connected.GetProperty("RemoteEndPoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(1003, connected.GetProperty("EventId").GetProperty("Id").GetInt32());
        Assert.True(DateTimeOffset.TryParse(connected.GetProperty("@t").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains(events, e => e.GetProperty("EventId").GetProperty("Name").GetString() == "ServerStopped");
    }

    [Fact]
    public async Task The_log_file_rolls_over_at_the_size_limit_keeping_five_files()
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;
        var log = Path.Combine(home, "roll.log");
        await using var server = ParleyProcess.Start(["serve", "echo", "--host", "127.0.0.1", "--port", "0", "--log-file", log,
            "--log-level", "debug", "--log-file-size", "2KB"], home: home);
        var port = await server.WaitForListeningPortAsync(ct);
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i}\n"));
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None, ct);
                var buffer = new byte[64];
                var got = 0;
                while (got < line.Length + 1)
                {
                    got += await client.ReceiveAsync(buffer, SocketFlags.None, ct);
                }
            }
        }

        server.Signal("TERM");
        Assert.Equal(0, await server.WaitForExitAsync(ct));

        var files = Directory.GetFiles(home, "roll*.log");
        Assert.Equal(5, files.Length);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 2 * 1000 + 400));
        Assert.Contains("ServerStopped", await File.ReadAllTextAsync(files.Order().Last(), ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-dir/server.log", "the directory")]
    [InlineData(".", "it is a directory")]
    public async Task A_log_path_that_cannot_be_written_fails_before_any_port_is_opened(string path, string reason)
    {
        var ct = TestTimeout.Token();
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;

        var server = ParleyProcess.Start(["serve", "echo", "--port", "0", "--log-file", Path.Combine(home, path)], home: home);
        await using var _ = server;

        Assert.Equal(2, await server.WaitForExitAsync(ct));
        var line = EchoProcessTests.ErrorLine(server);
        Assert.StartsWith("parley: cannot write the log file ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Empty(server.StandardOutput);
        Assert.DoesNotContain("Starting", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_writes_its_service_messages_to_its_own_log_file()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;
        using var homeFolder = new TempFolder("parley-log-");
        var home = homeFolder.FullName;
        var log = Path.Combine(home, "client.log");

        var client = ParleyProcess.Start(["client", "--host", "127.0.0.1", "--port", $"{port}", "--log-file", log], home: home);
        await using var __ = client;
        await client.Input.WriteAsync("hi\n");
        client.Input.Close();

        Assert.Equal(0, await client.WaitForExitAsync(ct));
        Assert.Equal("hi\n", client.StandardOutput);
        Assert.Empty(client.StandardError);
        var text = await File.ReadAllTextAsync(log, ct);
        Assert.Contains("Connected", text, StringComparison.Ordinal);
        Assert.Contains("Disconnected from", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_PARLEY_PORT_is_one_clear_line()
    {
        var ct = TestTimeout.Token();

        await using var client = ParleyProcess.Start(["client"], new Dictionary<string, string?> { ["PARLEY_PORT"] = "http" });

        Assert.Equal(2, await client.WaitForExitAsync(ct));
        Assert.Equal("parley: PARLEY_PORT: 'http' is not a port: use a whole number from 1 to 65535", EchoProcessTests.ErrorLine(client));
    }

    [Fact]
    public async Task PARLEY_HOST_and_PARLEY_PORT_replace_the_built_in_defaults()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        await using var client = ParleyProcess.Start(["client"], new Dictionary<string, string?> { ["PARLEY_HOST"] = "127.0.0.1", ["PARLEY_PORT"] = $"{port}" });
        await client.Input.WriteAsync("env\n");
        client.Input.Close();

        Assert.Equal(0, await client.WaitForExitAsync(ct));
        Assert.Equal("env\n", client.StandardOutput);
    }
}
