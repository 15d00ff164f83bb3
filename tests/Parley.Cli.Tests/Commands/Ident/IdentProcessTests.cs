using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Ident;

/// <summary>The built <c>parley</c>: the identification server, its client, and <c>ident list|forget</c>.</summary>
public sealed class IdentProcessTests : IDisposable
{
    private readonly TempFolder _folder = new("parley-cli-db-");
    private readonly string _db;

    public IdentProcessTests()
    {
        _db = _folder.Combine("parley.db");
    }

    public void Dispose() => _folder.Dispose();

    private Task<(int ExitCode, ParleyProcess Process)> ClientAsync(string input, int port, CancellationToken ct) =>
        ParleyProcess.RunAsync(input, ct, "client", "ident", "--port", $"{port}", "--host", "127.0.0.1");

    private Task<(int ExitCode, ParleyProcess Process)> AdminAsync(CancellationToken ct, params string[] arguments) =>
        ParleyProcess.RunAsync("", ct, ["ident", .. arguments, "--db", _db]);

    [Fact]
    public async Task A_piped_client_names_a_new_client_gets_its_echo_and_exits_0_then_is_welcomed_back()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;

        var (first, one) = await ClientAsync("Alice\nhi\nexit\n", port, ct);
        var (second, two) = await ClientAsync("again\n", port, ct);
        await using var __ = one;
        await using var ___ = two;

        Assert.Equal(0, first);
        Assert.Equal(
            "Nice to meet you, Alice. I will know you by your address 127.0.0.1 from now on.\n" +
            "Send messages and each comes back; exit ends the conversation.\nhi\nGoodbye, Alice.\n",
            one.StandardOutput);
        Assert.Contains("What is your name?", one.StandardError, StringComparison.Ordinal);
        Assert.Contains("Connected to 127.0.0.1:", one.StandardError, StringComparison.Ordinal);
        Assert.Contains("exit sent, the server closed the connection", one.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.StartsWith("Welcome back, Alice! This is visit number 2;", two.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("again\n", two.StandardOutput, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex(Regex.Escape($"Using the database {_db}")), ct, standardError: true);
        await server.WaitForAsync(new Regex("named Alice"), ct, standardError: true);
        await server.WaitForAsync(new Regex("recognised as Alice"), ct, standardError: true);
    }

    [Fact]
    public async Task Ident_list_shows_the_known_clients_and_forget_removes_one()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using (server)
        {
            var (named, client) = await ClientAsync("Zoë\nexit\n", port, ct);
            await using var _ = client;
            Assert.Equal(0, named);
        }

        var (listed, list) = await AdminAsync(ct, "list");
        var (forgot, forget) = await AdminAsync(ct, "forget", "::ffff:127.0.0.1");
        var (relisted, empty) = await AdminAsync(ct, "list");
        await using var __ = list;
        await using var ___ = forget;
        await using var ____ = empty;

        Assert.Equal(0, listed);
        Assert.Matches(@"│ 127\.0\.0\.1 +│ Zoë +│ +1 │ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d │", list.StandardOutput);
        Assert.Contains("Address", list.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, forgot);
        Assert.Equal("Forgot 127.0.0.1 (Zoë).\n", forget.StandardOutput);
        Assert.Equal(0, relisted);
        Assert.Equal($"No known clients in {_db}.\n", empty.StandardOutput);
    }

    [Fact]
    public async Task Ident_forget_of_an_unknown_address_fails_and_a_bad_address_is_a_usage_error()
    {
        var ct = TestTimeout.Token();
        var (made, maker) = await AdminAsync(ct, "list");
        await using var _ = maker;
        Assert.Equal(1, made);
        var (server, __) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await server.DisposeAsync();

        var (unknown, one) = await AdminAsync(ct, "forget", "127.0.0.9");
        var (bad, two) = await AdminAsync(ct, "forget", "not-an-address");
        await using var ___ = one;
        await using var ____ = two;

        Assert.Equal(1, unknown);
        Assert.Equal($"parley: no client is known at 127.0.0.9 in {_db}\n", one.StandardError);
        Assert.Equal(2, bad);
        Assert.Contains("parley: 'not-an-address' is not an IP address", two.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ident_list_without_a_database_says_so_and_creates_none()
    {
        var ct = TestTimeout.Token();

        var (exit, list) = await AdminAsync(ct, "list");
        await using var _ = list;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: there is no database at {_db}: give --db with the server's database\n", list.StandardError);
        Assert.False(File.Exists(_db));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_stops_the_server_before_it_listens()
    {
        var ct = TestTimeout.Token();
        await File.WriteAllTextAsync(_db, "shopping list: milk, eggs\n", ct);

        var (exit, server) = await ParleyProcess.RunAsync("", ct, "serve", "ident", "--port", "0", "--host", "127.0.0.1", "--db", _db);
        var (listExit, list) = await AdminAsync(ct, "list");
        await using var _ = server;
        await using var __ = list;

        Assert.Equal(1, exit);
        Assert.Contains($"parley: {_db} is not a Parley database: it is not an SQLite file; give another --db", server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", server.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, listExit);
        Assert.Contains("is not a Parley database", list.StandardError, StringComparison.Ordinal);
        Assert.Equal("shopping list: milk, eggs\n", await File.ReadAllTextAsync(_db, ct));
    }

    [Fact]
    public async Task A_server_killed_outright_keeps_every_confirmed_name()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;
        await using var client = ParleyProcess.Start("client", "ident", "--port", $"{port}", "--host", "127.0.0.1");
        await client.Input.WriteLineAsync("Mallory");
        await client.Input.FlushAsync(ct);
        await client.WaitForAsync(new Regex("Nice to meet you, Mallory"), ct);

        server.Signal("KILL");
        await server.WaitForExitAsync(ct);
        var (exit, list) = await AdminAsync(ct, "list");
        await using var __ = list;

        Assert.Equal(0, exit);
        Assert.Contains("Mallory", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_invalid_names_end_the_client_with_the_servers_bye_and_exit_code_1()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;

        var (exit, client) = await ClientAsync("\n  \n\u0007\n", port, ct);
        await using var __ = client;

        Assert.Equal(1, exit);
        Assert.Contains("error (invalid-name): The name is empty.", client.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("error (invalid-name): The name holds a control character (U+0007).", client.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"parley: 127\.0\.0\.1:\d+ ended the conversation: No valid name in 3 tries: closing the connection\.\n$", client.StandardError);
    }

    [Fact]
    public async Task A_client_piped_into_head_ends_quietly_when_head_does()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;

        await using var piped = ParleyProcess.StartInShell(
            "(echo Ann; yes hi 2>/dev/null) | {parley} 2>/dev/null | head -1; echo \"parley exited ${PIPESTATUS[1]}\"",
            "client", "ident", "--host", "127.0.0.1", "-p", $"{port}");

        Assert.Equal(0, await piped.WaitForExitAsync(ct));
        Assert.Equal("Nice to meet you, Ann. I will know you by your address 127.0.0.1 from now on.\nparley exited 141\n", piped.StandardOutput);
    }

    [Fact]
    public async Task Input_that_ends_at_the_question_is_exit_code_1_and_stores_nothing()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;

        var (exit, client) = await ClientAsync("", port, ct);
        var (_, list) = await AdminAsync(ct, "list");
        await using var __ = client;
        await using var ___ = list;

        Assert.Equal(1, exit);
        Assert.Contains("parley: the input ended before the server's question was answered", client.StandardError, StringComparison.Ordinal);
        Assert.Contains("No known clients", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ident_client_against_an_echo_server_says_what_is_wrong()
    {
        var ct = TestTimeout.Token();
        var (echo, port) = await EchoServerProcess.StartAsync(ct, "--framing", "length");
        await using var _ = echo;
        await using var client = ParleyProcess.Start("client", "ident", "--port", $"{port}", "--host", "127.0.0.1");
        client.Input.Close();

        Assert.Equal(1, await client.WaitForExitAsync(ct));
        Assert.Matches(@"parley: no hello from 127\.0\.0\.1:\d+ within 10\.0 s: is it a Parley ident server\?", client.StandardError);
    }

    [Theory]
    [InlineData("serve", "ident")]
    [InlineData("client", "ident")]
    [InlineData("ident", "list")]
    [InlineData("ident", "forget")]
    public async Task Every_ident_command_has_help(string group, string command)
    {
        var ct = TestTimeout.Token();

        var (exit, help) = await ParleyProcess.RunAsync("", ct, group, command, "--help");
        await using var _ = help;

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", help.StandardOutput, StringComparison.Ordinal);
    }
}
