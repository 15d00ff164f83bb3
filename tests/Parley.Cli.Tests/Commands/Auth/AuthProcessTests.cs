using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Auth;

/// <summary>The built <c>parley</c>: the authentication server, its client with the session file, and <c>auth ...</c>.</summary>
public sealed class AuthProcessTests : IDisposable
{
    private readonly TempFolder _folder = new("parley-cli-db-");
    private readonly string _db;
    private readonly string _sessions;

    public AuthProcessTests()
    {
        _db = _folder.Combine("parley.db");
        _sessions = _folder.Combine("client", "sessions.json");
    }

    public void Dispose() => _folder.Dispose();

    private Task<(int ExitCode, ParleyProcess Process)> ClientAsync(string input, int port, CancellationToken ct, params string[] extra) =>
        ParleyProcess.RunAsync(input, ct, ["client", "auth", "--port", $"{port}", "--host", "127.0.0.1", "--session-file", _sessions, .. extra]);

    private Task<(int ExitCode, ParleyProcess Process)> AdminAsync(string input, CancellationToken ct, params string[] arguments) =>
        ParleyProcess.RunAsync(input, ct, ["auth", .. arguments, "--db", _db]);

    /// <summary>The token kept for the server's service (its hello names it), or null.</summary>
    private string? StoredToken()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(_sessions));
        var servers = json.RootElement.GetProperty("servers").EnumerateObject().ToList();
        Assert.True(servers.Count <= 1, "one service, one kept session");
        Assert.All(servers, server => Assert.Matches("^service [0-9a-f]{32}$", server.Name));
        return servers.Count == 1 ? servers[0].Value.GetProperty("token").GetString() : null;
    }

    [Fact]
    public async Task A_piped_client_registers_and_next_time_resumes_with_the_kept_token_without_a_password()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct);
        await using var _ = server;

        var (first, one) = await ClientAsync("alice\ncorrect horse\ncorrect horse\nhi\nexit\n", port, ct);
        await using var __ = one;
        var token = StoredToken();
        var (second, two) = await ClientAsync("again\n", port, ct);
        await using var ___ = two;

        Assert.Equal(0, first);
        Assert.Contains("There is no account named alice yet", one.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Welcome, alice: your account is made", one.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hi\nGoodbye, alice.\n", one.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", one.StandardOutput + one.StandardError, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_sessions));
        }

        Assert.Equal(0, second);
        Assert.StartsWith("Welcome back, alice: your session is resumed.\n", two.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", two.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("User name", two.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(token, StoredToken());
        Assert.DoesNotContain(token!, server.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", server.StandardError, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex(Regex.Escape($"Using the database {_db}")), ct, standardError: true);
        Assert.DoesNotContain("cross the network in clear", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_deletes_the_local_token_and_the_server_refuses_it_afterwards()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct);
        await using var _ = server;
        var (registered, one) = await ClientAsync("bob\nbobs password\nbobs password\nexit\n", port, ct);
        await using var __ = one;
        Assert.Equal(0, registered);
        await using var two = ParleyProcess.Start("client", "auth", "--port", $"{port}", "--host", "127.0.0.1", "--session-file", _sessions);
        await two.WaitForAsync(new Regex("your session is resumed"), ct);
        var kept = await File.ReadAllTextAsync(_sessions, ct);
        var token = StoredToken()!;

        await two.Input.WriteLineAsync("logout");
        two.Input.Close();
        var loggedOut = await two.WaitForExitAsync(ct);
        var afterLogout = StoredToken();
        await File.WriteAllTextAsync(_sessions, kept, ct);
        var (again, three) = await ClientAsync("bob\nbobs password\nexit\n", port, ct);
        await using var ___ = three;

        Assert.Equal(0, loggedOut);
        Assert.Contains("You are logged out, bob", two.StandardOutput, StringComparison.Ordinal);
        Assert.Null(afterLogout);
        Assert.Equal(0, again);
        Assert.Contains("error (session-invalid):", three.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Welcome, bob!", three.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(token, StoredToken());
    }

    [Fact]
    public async Task Forget_session_signs_in_with_a_password_even_with_a_kept_token()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct);
        await using var _ = server;
        var (registered, one) = await ClientAsync("carol\ncarols password\ncarols password\nexit\n", port, ct);
        await using var __ = one;
        Assert.Equal(0, registered);

        var (exit, two) = await ClientAsync("\ncarols password\nexit\n", port, ct, "--forget-session");
        await using var ___ = two;

        Assert.Equal(0, exit);
        Assert.Contains("User name: [carol]", two.StandardError, StringComparison.Ordinal);
        Assert.Contains("Welcome, carol!", two.StandardOutput, StringComparison.Ordinal);
        Assert.NotNull(StoredToken());
    }

    [Fact]
    public async Task With_registration_closed_an_unknown_user_fails_like_a_wrong_password()
    {
        var ct = TestTimeout.Token();
        var (added, add) = await AdminAsync("dave-password\n", ct, "add-user", "dave", "--password-stdin");
        await using var _ = add;
        Assert.Equal(0, added);
        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct, "--no-register");
        await using var __ = server;

        var (exit, client) = await ClientAsync("nobody\nwhatever1\ndave\nwrong-one\nnobody\nwhatever2\n", port, ct);
        await using var ___ = client;

        Assert.Equal(1, exit);
        Assert.Equal(3, client.StandardOutput.Split('\n').Count(l => l == "error (login-failed): Invalid user name or password."));
        Assert.DoesNotContain("new one", client.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ended the conversation: 3 failed sign-ins", client.StandardError, StringComparison.Ordinal);
        await server.WaitForAsync(new Regex("registration closed"), ct, standardError: true);
    }

    [Fact]
    public async Task The_admin_commands_add_list_change_revoke_and_remove_users()
    {
        var ct = TestTimeout.Token();
        var (added, add) = await AdminAsync("erins password\n", ct, "add-user", "Erin", "--password-stdin");
        var (again, twice) = await AdminAsync("erins password\n", ct, "add-user", "erin", "--password-stdin");
        await using var _ = add;
        await using var __ = twice;
        Assert.Equal(0, added);
        Assert.Equal("Added the user Erin.\n", add.StandardOutput);
        Assert.Equal(1, again);
        Assert.Equal($"parley: the user erin already exists in {_db}\n", twice.StandardError);

        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct);
        await using var ___ = server;
        var (signedIn, client) = await ClientAsync("erin\nerins password\nexit\n", port, ct);
        await using var ____ = client;
        Assert.Equal(0, signedIn);

        var (listed, users) = await AdminAsync("", ct, "users");
        var (changed, passwd) = await AdminAsync("erins new password\n", ct, "passwd", "ERIN", "--password-stdin");
        var (relisted, after) = await AdminAsync("", ct, "users");
        await using var _5 = users;
        await using var _6 = passwd;
        await using var _7 = after;
        Assert.Equal(0, listed);
        Assert.Matches(@"│ Erin +│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +│ +1 │", users.StandardOutput);
        Assert.Equal(0, changed);
        Assert.Equal("Changed the password of ERIN; 1 session ended.\n", passwd.StandardOutput);
        Assert.Matches(@"│ Erin +│ .+│ +0 │", after.StandardOutput);

        var (oldFails, old) = await ClientAsync("erin\nerins password\nerin\nerins password\nerin\nerins password\n", port, ct, "--forget-session");
        var (newWorks, fresh) = await ClientAsync("erin\nerins new password\nexit\n", port, ct, "--forget-session");
        await using var _8 = old;
        await using var _9 = fresh;
        Assert.Equal(1, oldFails);
        Assert.Equal(0, newWorks);

        var (revoked, revoke) = await AdminAsync("", ct, "revoke", "erin");
        var (removed, remove) = await AdminAsync("", ct, "remove-user", "erin");
        var (gone, empty) = await AdminAsync("", ct, "users");
        await using var _10 = revoke;
        await using var _11 = remove;
        await using var _12 = empty;
        Assert.Equal(0, revoked);
        Assert.Equal("Revoked 1 session of erin.\n", revoke.StandardOutput);
        Assert.Equal(0, removed);
        Assert.Equal("Removed the user erin.\n", remove.StandardOutput);
        Assert.Equal(0, gone);
        Assert.Equal($"No users in {_db}.\n", empty.StandardOutput);
    }

    [Theory]
    [InlineData("passwd")]
    [InlineData("remove-user")]
    [InlineData("revoke")]
    public async Task An_admin_command_on_a_user_that_does_not_exist_fails_with_one_line(string command)
    {
        var ct = TestTimeout.Token();
        var (made, add) = await AdminAsync("franks password\n", ct, "add-user", "frank", "--password-stdin");
        await using var _ = add;
        Assert.Equal(0, made);

        string[] arguments = command == "passwd" ? [command, "ghost", "--password-stdin"] : [command, "ghost"];
        var (exit, admin) = await AdminAsync("some new password\n", ct, arguments);
        await using var __ = admin;

        Assert.Equal(1, exit);
        Assert.Equal($"parley: there is no user ghost in {_db}\n", admin.StandardError);
    }

    [Theory]
    [InlineData("short\n", new[] { "add-user", "gina", "--password-stdin" }, 1, "parley: weak password: the password is 5 characters long; it needs at least 8")]
    [InlineData("gina.smith\n", new[] { "add-user", "Gina.Smith", "--password-stdin" }, 1, "parley: weak password: the password must not be the user name")]
    [InlineData("", new[] { "add-user", "gina", "--password-stdin" }, 2, "parley: --password-stdin: standard input gave no password line")]
    [InlineData("ginas password\n", new[] { "add-user", "gina" }, 2, "parley: no terminal to ask for the password: give it on standard input with --password-stdin")]
    [InlineData("ginas password\n", new[] { "add-user", "gina smith", "--password-stdin" }, 2, "parley: 'gina smith' is not a user name: a user name has only letters, digits and . _ - @")]
    [InlineData("", new[] { "revoke", "bad/name" }, 2, "parley: 'bad/name' is not a user name")]
    public async Task Bad_input_to_the_admin_commands_is_one_clear_line(string input, string[] arguments, int code, string error)
    {
        var ct = TestTimeout.Token();

        var (exit, admin) = await AdminAsync(input, ct, arguments);
        await using var _ = admin;

        Assert.Equal(code, exit);
        Assert.StartsWith(error, admin.StandardError, StringComparison.Ordinal);
        Assert.Single(admin.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task An_unreadable_session_file_is_ignored_with_a_warning_and_kept_aside()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("auth", _db, ct);
        await using var _ = server;
        Directory.CreateDirectory(Path.GetDirectoryName(_sessions)!);
        await File.WriteAllTextAsync(_sessions, "{ this is not json", ct);

        var (exit, client) = await ClientAsync("heidi\nheidis password\nheidis password\nexit\n", port, ct);
        await using var __ = client;

        Assert.Equal(0, exit);
        Assert.Contains($"parley: the session file {_sessions} is not valid; it is ignored", client.StandardError, StringComparison.Ordinal);
        Assert.Equal("{ this is not json", await File.ReadAllTextAsync(_sessions + ".unreadable", ct));
        Assert.NotNull(StoredToken());
    }

    [Fact]
    public async Task The_auth_client_against_the_ident_server_says_which_client_to_use()
    {
        var ct = TestTimeout.Token();
        var (server, port) = await DialogServerProcess.StartAsync("ident", _db, ct);
        await using var _ = server;

        var (exit, client) = await ClientAsync("", port, ct);
        await using var __ = client;

        Assert.Equal(1, exit);
        Assert.Matches(@"parley: 127\.0\.0\.1:\d+ is a Parley 'ident' server, not 'auth': use parley client ident\n$", client.StandardError);
    }

    [Theory]
    [InlineData("serve", "auth")]
    [InlineData("client", "auth")]
    [InlineData("auth", "users")]
    [InlineData("auth", "add-user")]
    [InlineData("auth", "passwd")]
    [InlineData("auth", "remove-user")]
    [InlineData("auth", "revoke")]
    public async Task Every_auth_command_has_help(string group, string command)
    {
        var ct = TestTimeout.Token();

        var (exit, help) = await ParleyProcess.RunAsync("", ct, group, command, "--help");
        await using var _ = help;

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", help.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auth")]
    [InlineData("ident")]
    public async Task The_dialog_servers_let_a_silent_client_go_after_five_minutes_by_default(string service)
    {
        var ct = TestTimeout.Token();

        var (exit, help) = await ParleyProcess.RunAsync("", ct, "serve", service, "--help");
        await using var _ = help;

        Assert.Equal(0, exit);
        Assert.Contains("or off [default: 5m]", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TLS handshake [default: 10s]", help.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("00:", help.StandardOutput, StringComparison.Ordinal);
    }
}
