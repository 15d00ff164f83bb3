using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Echo;

/// <summary>The built <c>parley</c> program, server and client, as a user runs it.</summary>
public sealed class EchoProcessTests
{
    [Fact]
    public async Task A_piped_client_writes_exactly_the_echo_to_standard_output_and_exits_0()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (exit, client) = await ParleyProcess.RunAsync("a\nb\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1");
        await using var __ = client;

        Assert.Equal(0, exit);
        Assert.Equal("a\nb\n"u8.ToArray(), client.StandardOutputBytes);
        Assert.Contains("Connected to 127.0.0.1:", client.StandardError, StringComparison.Ordinal);
        Assert.Contains("Sent 2 bytes", client.StandardError, StringComparison.Ordinal);
        Assert.Contains("Received", client.StandardError, StringComparison.Ordinal);
        Assert.Contains("Disconnected from", client.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_framed_mode_each_line_goes_as_one_message_and_each_reply_is_printed()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--framing", "length");
        await using var _ = server;

        var (exit, client) = await ParleyProcess.RunAsync("one\n\nПривет\nexit\nlost\n", ct,
            "client", "--framing", "length", "--port", $"{port}", "--host", "127.0.0.1");
        await using var __ = client;

        Assert.Equal(0, exit);
        Assert.Equal("one\n\nПривет\n", client.StandardOutput);
        Assert.Contains("Sent a message of 12 bytes", client.StandardError, StringComparison.Ordinal);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task The_listening_line_names_the_address_and_port_with_IPv6_in_brackets()
    {
        var ct = TestTimeout.Token();
        await using var server = ParleyProcess.Start("serve", "echo", "--port", "0", "--host", "::1");

        var match = await server.WaitForAsync(ParleyProcess.ListeningLine(), ct);

        Assert.Equal("[::1]", match.Groups["address"].Value);
        Assert.Matches(@"^Listening on \[::1\]:\d+\n$", server.StandardOutput);
    }

    [Fact]
    public async Task Exit_ends_the_client_with_0_and_the_server_keeps_listening()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (first, one) = await ParleyProcess.RunAsync("hello\nexit\nnever sent\n", ct, "client", "echo", "--port", $"{port}", "--host", "127.0.0.1");
        var (second, two) = await ParleyProcess.RunAsync("again\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1");
        await using var __ = one;
        await using var ___ = two;

        Assert.Equal(0, first);
        Assert.Equal("hello\n", one.StandardOutput);
        Assert.Contains("exit sent", one.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.Equal("again\n", two.StandardOutput);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Stop_from_a_local_client_stops_the_server_with_exit_code_0()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        var (clientExit, client) = await ParleyProcess.RunAsync("bye\nstop\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1");
        await using var __ = client;

        Assert.Equal(0, clientExit);
        Assert.Equal("bye\n", client.StandardOutput);
        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains("Stop requested by client 1", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_piped_into_head_ends_quietly_when_head_does_and_the_server_goes_on()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        await using var piped = ParleyProcess.StartInShell(
            "yes 2>/dev/null | {parley} | head -1; echo \"parley exited ${PIPESTATUS[1]}\"",
            "client", "--host", "127.0.0.1", "-p", $"{port}", "--log-level", "warning");

        Assert.Equal(0, await piped.WaitForExitAsync(ct));
        Assert.Equal("y\nparley exited 141\n", piped.StandardOutput);
        Assert.Empty(piped.StandardError);
        var (laterExit, later) = await ParleyProcess.RunAsync("still there?\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1");
        await using var __ = later;
        Assert.Equal(0, laterExit);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("ping")]
    public async Task Output_that_cannot_be_written_is_one_line_and_exit_code_1(string command)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;

        await using var full = ParleyProcess.StartInShell(
            "echo hi | {parley} > /dev/full",
            command == "client" ? ["client", "--host", "127.0.0.1", "-p", $"{port}", "--log-level", "warning"] : ["ping", "127.0.0.1", "-p", $"{port}", "-c", "1"]);

        Assert.Equal(1, await full.WaitForExitAsync(ct));
        Assert.Equal("parley: cannot write the output: No space left on device\n", full.StandardError);
    }

    [Theory]
    [InlineData("line")]
    [InlineData("length")]
    public async Task A_refused_stop_is_an_error_at_the_client_and_the_server_goes_on(string framing)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, "--allow-stop", "none", "--framing", framing);
        await using var _ = server;

        var (stopExit, stop) = await ParleyProcess.RunAsync(
            "bye\nStop\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1", "--framing", framing);
        var (laterExit, later) = await ParleyProcess.RunAsync(
            "still there?\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1", "--framing", framing);
        await using var __ = stop;
        await using var ___ = later;

        Assert.Equal(1, stopExit);
        Assert.Equal("bye\nStop\n", stop.StandardOutput);
        Assert.EndsWith(
            $"\nparley: connection to 127.0.0.1:{port} ended: stop came back as data: the server did not take it as a command and goes on serving (see its --allow-stop)\n",
            stop.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, laterExit);
        Assert.Equal("still there?\n", later.StandardOutput);
        Assert.False(server.HasExited);
    }

    [Theory]
    [InlineData("TERM", "signal SIGTERM")]
    [InlineData("INT", "Ctrl+C (SIGINT)")]
    public async Task A_signal_stops_the_server_gracefully_with_exit_code_0(string signal, string source)
    {
        var ct = TestTimeout.Token();
        var (server, _) = await EchoServerProcess.StartAsync(ct);
        await using var __ = server;

        server.Signal(signal);

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains($"Stop requested by {source}", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Server stopped", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_typed_on_the_server_console_stops_it_with_exit_code_0()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        await server.WaitForAsync(new Regex("Client 1 connected"), ct, standardError: true);

        await server.Input.WriteLineAsync("stop");
        await server.Input.FlushAsync(ct);

        Assert.Equal(0, await server.WaitForExitAsync(ct));
        Assert.Contains("Stop requested by the server console", server.StandardError, StringComparison.Ordinal);
        Assert.Contains("server stopping", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_server_is_one_clear_line_and_a_non_zero_exit_code_for_the_client()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct);
        await using var _ = server;
        await using var client = ParleyProcess.Start("client", "--port", $"{port}", "--host", "127.0.0.1");
        await client.Input.WriteLineAsync("ping");
        await client.Input.FlushAsync(ct);
        await client.WaitForAsync(new Regex("^ping$", RegexOptions.Multiline), ct);

        server.Signal("KILL");

        Assert.Equal(1, await client.WaitForExitAsync(ct));
        var error = client.StandardError.Split('\n').Where(l => l.StartsWith("parley:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(error);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        AssertNoStackTrace(client.StandardError);
    }

    [Fact]
    public async Task Connection_refused_is_one_line_naming_host_and_port()
    {
        var ct = TestTimeout.Token();
        var port = ClosedPort();

        var (exit, client) = await ParleyProcess.RunAsync("x\n", ct, "client", "--port", $"{port}", "--host", "127.0.0.1");
        await using var _ = client;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: cannot connect to 127.0.0.1:{port}: connection refused", ErrorLine(client).Split(" (")[0]);
        Assert.Contains("nothing is listening", client.StandardError, StringComparison.Ordinal);
        AssertNoStackTrace(client.StandardError);
    }

    [Fact]
    public async Task An_unknown_host_is_one_line_naming_it()
    {
        var ct = TestTimeout.Token();

        var (exit, client) = await ParleyProcess.RunAsync("x\n", ct, "client", "--host", "no-such-host.invalid", "--port", "9000");
        await using var _ = client;

        Assert.Equal(1, exit);
        Assert.StartsWith("parley: cannot connect to no-such-host.invalid:9000: unknown host no-such-host.invalid", ErrorLine(client), StringComparison.Ordinal);
        AssertNoStackTrace(client.StandardError);
    }

    [Theory]
    [InlineData("client", "--host", "")]
    [InlineData("client", "--host", " ")]
    [InlineData("chat", "--nick", "bob", "--host", " ")]
    [InlineData("serve", "echo", "--host", "", "--port", "0")]
    public async Task An_empty_host_is_a_usage_error_in_one_line(params string[] arguments)
    {
        var ct = TestTimeout.Token();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, arguments);
        await using var _ = process;

        Assert.Equal(2, exit);
        Assert.StartsWith("parley: --host: ", ErrorLine(process), StringComparison.Ordinal);
        AssertNoStackTrace(process.StandardError);
    }

    [Fact]
    public async Task A_blank_PARLEY_HOST_counts_as_unset()
    {
        var ct = TestTimeout.Token();
        var port = ClosedPort();

        await using var client = ParleyProcess.Start(["client", "--port", $"{port}"], new Dictionary<string, string?> { ["PARLEY_HOST"] = " " });
        client.Input.Close();

        Assert.Equal(1, await client.WaitForExitAsync(ct));
        Assert.StartsWith($"parley: cannot connect to localhost:{port}: ", ErrorLine(client), StringComparison.Ordinal);
        AssertNoStackTrace(client.StandardError);
    }

    [Fact]
    public async Task A_connect_that_gets_no_answer_times_out_in_one_line()
    {
        var ct = TestTimeout.Token();
        // A listener that never accepts, with its backlog full: the kernel drops further SYNs, so a connect
        // to it is never answered, all on loopback.
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            while (true)
            {
                var filler = new Socket(SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try
                {
                    await filler.ConnectAsync(IPAddress.Loopback, port, quick.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var (exit, client) = await ParleyProcess.RunAsync("x\n", ct, "client", "--host", "127.0.0.1", "--port", $"{port}", "--connect-timeout", "1s");
            await using var _ = client;

            Assert.Equal(1, exit);
            Assert.StartsWith($"parley: cannot connect to 127.0.0.1:{port}: timed out after 1.0 s", ErrorLine(client), StringComparison.Ordinal);
            AssertNoStackTrace(client.StandardError);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task A_100_MB_line_echoes_through_while_the_server_stays_small()
    {
        var ct = TestTimeout.Token(TimeSpan.FromMinutes(3));
        // -q: this is about the echo path's memory. With a data event per 1 KiB read the heap grows with the GC's
        // youngest-generation budget, which the runtime sizes from the L3 cache a VM reports (bench/README.md).
        var (server, port) = await EchoServerProcess.StartAsync(ct, "-q");
        await using var _ = server;
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        const int total = 100 * 1024 * 1024;
        var block = new byte[64 * 1024];
        new Random(7).NextBytes(block);
        block.AsSpan().Replace((byte)'\n', (byte)'.');

        var sending = Task.Run(async () =>
        {
            for (var sent = 0; sent < total; sent += block.Length)
            {
                await client.SendAsync(block, SocketFlags.None, ct);
            }

            client.Shutdown(SocketShutdown.Send);
        }, ct);
        long received = 0;
        var buffer = new byte[256 * 1024];
        var mismatch = false;
        while (true)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (n == 0)
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                mismatch |= buffer[i] != block[(received + i) % block.Length];
            }

            received += n;
        }

        await sending;

        Assert.Equal(total, received);
        Assert.False(mismatch);
        Assert.InRange(server.PeakResidentKiB(), 0, 150 * 1024);
    }

    [Fact]
    public async Task Help_lists_every_option_with_its_default()
    {
        var ct = TestTimeout.Token();

        var (exit, help) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--help");
        await using var _ = help;

        Assert.Equal(0, exit);
        foreach (var option in new[] { "--host", "--port", "--port-tries", "--no-prompt", "--allow-stop", "--idle-timeout", "--chunk-size",
                     "--raw", "--framing", "--log-level", "--log-file", "--log-console", "--log-format", "--log-file-size" })
        {
            Assert.Contains(option, help.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("[default: 9000]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: 1024]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[default: local]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PARLEY_PORT", help.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port abc", "parley: --port: 'abc' is not a port: use a whole number from 0 to 65535")]
    [InlineData("--port 70000", "parley: --port: 70000 is out of range: a port is a whole number from 0 to 65535")]
    [InlineData("--allow-stop maybe", "parley: --allow-stop: 'maybe' is not one of local, any, none")]
    [InlineData("--chunk-size 0", "parley: --chunk-size: '0' is not a whole number from 1 to 16777216")]
    [InlineData("--idle-timeout soon", "parley: --idle-timeout: 'soon' is not a duration: use for example 500ms, 5s, 2m or 1h")]
    [InlineData("--bogus", "parley: Unrecognized command or argument '--bogus'.")]
    [InlineData("--raw --framing length", "parley: --raw and --framing length do not go together: raw echo has no framing")]
    [InlineData("--raw --framing lenght", "parley: --framing: 'lenght' is not one of line, length")]
    public async Task A_bad_argument_is_one_line_and_exit_code_2(string arguments, string expected)
    {
        var ct = TestTimeout.Token();

        var (exit, process) = await ParleyProcess.RunAsync("", ct, ["serve", "echo", .. arguments.Split(' ')]);
        await using var _ = process;

        Assert.Equal(2, exit);
        Assert.Equal(expected, ErrorLine(process));
        Assert.Contains("Run 'parley serve echo --help'", process.StandardError, StringComparison.Ordinal);
        Assert.Empty(process.StandardOutput);
    }

    [Fact]
    public async Task A_port_in_use_with_no_tries_left_is_one_line_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        using var holder = new Socket(SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var (exit, server) = await ParleyProcess.RunAsync("", ct, "serve", "echo", "--host", "127.0.0.1", "--port", $"{port}", "--port-tries", "1");
        await using var _ = server;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: port {port} is in use on 127.0.0.1", ErrorLine(server));
    }

    [Theory]
    [InlineData(new string[0], "engine epoll")]
    [InlineData(new[] { "--engine", "sockets" }, "engine sockets")]
    [InlineData(new[] { "--busy-poll", "50" }, "engine epoll (busy poll 50 µs)")]
    public async Task The_start_line_names_the_engine_and_either_engine_echoes_and_half_closes(string[] options, string engine)
    {
        var ct = TestTimeout.Token();
        var (server, port) = await EchoServerProcess.StartAsync(ct, options);
        await using var _ = server;
        await server.WaitForAsync(new Regex(Regex.Escape(engine + ",")), ct, standardError: true);

        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        var data = new byte[1_000_000];
        new Random(21).NextBytes(data);
        await client.SendAsync(data, ct);
        client.Shutdown(SocketShutdown.Send);
        using var echoed = new MemoryStream();
        var buffer = new byte[65536];
        int read;
        while ((read = await client.ReceiveAsync(buffer, ct)) > 0)
        {
            echoed.Write(buffer, 0, read);
        }

        Assert.Equal(data, echoed.ToArray());
        await server.WaitForAsync(new Regex("disconnected: closed by the client"), ct, standardError: true);
    }

    [Theory]
    [InlineData("--engine: 'iocp' is not one of auto, epoll, sockets", "--engine", "iocp")]
    [InlineData("--busy-poll works only on the epoll engine", "--busy-poll", "50", "--engine", "sockets")]
    [InlineData("--busy-poll works only on the epoll engine", "--busy-poll", "50", "--tls")]
    [InlineData("--busy-poll applies to TCP only", "--busy-poll", "50", "--udp")]
    [InlineData("--busy-poll: '5000' is not a whole number from 0 to 1000", "--busy-poll", "5000")]
    [InlineData("--busy-poll: 'soon' is not a whole number", "--busy-poll", "soon")]
    public async Task An_engine_or_busy_polling_that_cannot_work_is_one_line_and_exit_code_2(string error, params string[] options)
    {
        var ct = TestTimeout.Token();
        var (exit, server) = await ParleyProcess.RunAsync("", ct, ["serve", "echo", "--no-prompt", .. options]);
        await using var _ = server;

        Assert.Equal(2, exit);
        Assert.Contains(error, ErrorLine(server), StringComparison.Ordinal);
        AssertNoStackTrace(server.StandardError);
    }

    internal static string ErrorLine(ParleyProcess process) =>
        process.StandardError.Split('\n').First(l => l.StartsWith("parley:", StringComparison.Ordinal));

    internal static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    internal static int ClosedPort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
