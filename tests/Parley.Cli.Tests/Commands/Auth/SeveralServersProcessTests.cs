using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Monitoring;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Auth;

/// <summary>
/// Several <c>parley serve auth|ident</c> processes on one private PostgreSQL database are one service (issue 17):
/// what one decides, the others see, and races between them end as they would on one server.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class SeveralServersProcessTests(PostgreSqlServer postgres) : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-several-");
    private readonly List<ParleyProcess> _processes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class, and every server a test
    // started outlived the test run.
    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    private string SessionFile(string name) => Path.Combine(_folder.FullName, name, "sessions.json");

    private async Task<int> ServerAsync(string service, string url, CancellationToken ct, params string[] extra)
    {
        var (server, port) = await DialogServerProcess.StartAsync(service, url, ct, extra);
        _processes.Add(server);
        return port;
    }

    private async Task<ParleyProcess> RunAsync(string input, CancellationToken ct, params string[] arguments)
    {
        var (_, process) = await ParleyProcess.RunAsync(input, ct, arguments);
        _processes.Add(process);
        return process;
    }

    private Task<ParleyProcess> AuthClientAsync(string input, int port, string sessions, CancellationToken ct, params string[] extra) =>
        RunAsync(input, ct, ["client", "auth", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", sessions, .. extra]);

    private static string KeptToken(string sessions)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(sessions));
        return Assert.Single(json.RootElement.GetProperty("servers").EnumerateObject()).Value.GetProperty("token").GetString()!;
    }

    /// <summary>One certificate and key for every server of the service, as the README shows; its fingerprint for the clients.</summary>
    private async Task<(string Cert, string Key, string Fingerprint)> CertificateAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=auth.example.test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(_folder.FullName, "cert.pem");
        var keyFile = Path.Combine(_folder.FullName, "key.pem");
        await File.WriteAllTextAsync(cert, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (cert, keyFile, "SHA256:" + Convert.ToBase64String(SHA256.HashData(certificate.RawData)).TrimEnd('='));
    }

    [PostgreSqlFact]
    public async Task An_account_made_on_one_TLS_server_resumes_on_the_other_with_the_token_kept_for_the_service()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var url = await postgres.CreateDatabaseAsync();
        var (cert, key, fingerprint) = await CertificateAsync();
        var a = await ServerAsync("auth", url, ct, "--tls", "--cert", cert, "--key", key);
        var b = await ServerAsync("auth", url, ct, "--tls", "--cert", cert, "--key", key);
        var sessions = SessionFile("alice");

        var made = await AuthClientAsync("alice\ncorrect horse\ncorrect horse\nexit\n", a, sessions, ct, "--tls", "--fingerprint", fingerprint);
        var resumed = await AuthClientAsync("hi\n", b, sessions, ct, "--tls", "--fingerprint", fingerprint);
        var users = await RunAsync("", ct, "auth", "users", "--db", url);

        Assert.Contains("Welcome, alice: your account is made", made.StandardOutput, StringComparison.Ordinal);
        Assert.StartsWith("Welcome back, alice: your session is resumed.\n", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("alice", users.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgreSqlServer.Password, string.Concat(_processes.Select(p => p.StandardOutput + p.StandardError)), StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task One_token_presented_to_two_servers_at_once_resumes_exactly_once()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var url = await postgres.CreateDatabaseAsync();
        var a = await ServerAsync("auth", url, ct);
        var b = await ServerAsync("auth", url, ct);
        var first = SessionFile("first");
        await AuthClientAsync("bob\nbobs password\nbobs password\nexit\n", a, first, ct);
        var second = SessionFile("second");
        Directory.CreateDirectory(Path.GetDirectoryName(second)!);
        File.Copy(first, second);

        var both = await Task.WhenAll(AuthClientAsync("", a, first, ct), AuthClientAsync("", b, second, ct));

        Assert.Single(both, c => c.StandardOutput.Contains("your session is resumed", StringComparison.Ordinal));
        Assert.Single(both, c => c.StandardOutput.Contains("error (session-invalid):", StringComparison.Ordinal));
    }

    [PostgreSqlFact]
    public async Task Logout_on_one_server_and_revoke_end_the_session_on_every_server()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var url = await postgres.CreateDatabaseAsync();
        var a = await ServerAsync("auth", url, ct);
        var b = await ServerAsync("auth", url, ct);
        var sessions = SessionFile("carol");
        await AuthClientAsync("carol\ncarols password\ncarols password\nexit\n", a, sessions, ct);
        var copy = SessionFile("copy");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(sessions, copy);

        await RunAsync("", ct, "auth", "revoke", "carol", "--db", url);
        var afterRevoke = await AuthClientAsync("", b, copy, ct);
        await AuthClientAsync("\ncarols password\nexit\n", b, sessions, ct);
        File.Copy(sessions, copy, overwrite: true);
        var loggedOut = await AuthClientAsync("logout\n", b, sessions, ct);
        File.Copy(sessions, copy, overwrite: true);
        var afterLogout = await AuthClientAsync("", a, copy, ct);

        Assert.Contains("error (session-invalid):", afterRevoke.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("You are logged out, carol", loggedOut.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("your session is resumed", afterLogout.StandardOutput, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task Five_wrong_passwords_spread_over_two_servers_lock_the_address_out_on_both()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        var url = await postgres.CreateDatabaseAsync();
        var a = await ServerAsync("auth", url, ct);
        var b = await ServerAsync("auth", url, ct);
        await AuthClientAsync("dave\ndaves password\ndaves password\nexit\n", a, SessionFile("made"), ct);

        for (var failure = 0; failure < 5; failure++)
        {
            var wrong = await AuthClientAsync("dave\nnot the password\n", failure % 2 == 0 ? a : b, SessionFile($"wrong{failure}"), ct);
            Assert.Contains("error (login-failed):", wrong.StandardOutput, StringComparison.Ordinal);
        }

        foreach (var port in new[] { a, b })
        {
            var right = await AuthClientAsync("dave\ndaves password\nexit\n", port, SessionFile($"right{port}"), ct);
            Assert.Contains("error (throttled):", right.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Welcome", right.StandardOutput, StringComparison.Ordinal);
        }
    }

    [PostgreSqlFact]
    public async Task One_new_name_registered_on_two_servers_at_once_makes_one_account()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var url = await postgres.CreateDatabaseAsync();
        var a = await ServerAsync("auth", url, ct);
        var b = await ServerAsync("auth", url, ct);

        var both = await Task.WhenAll(
            AuthClientAsync("erin\nerins password\nerins password\n", a, SessionFile("a"), ct),
            AuthClientAsync("erin\nother password\nother password\n", b, SessionFile("b"), ct));
        var users = await RunAsync("", ct, "auth", "users", "--db", url);

        Assert.Single(both, c => c.StandardOutput.Contains("your account is made", StringComparison.Ordinal));
        Assert.Single(Regex.Matches(users.StandardOutput, "erin"));
    }

    [PostgreSqlFact]
    public async Task A_name_given_to_one_ident_server_is_greeted_by_the_other_and_listed_by_ident_list()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var url = await postgres.CreateDatabaseAsync();
        var a = await ServerAsync("ident", url, ct);
        var b = await ServerAsync("ident", url, ct);

        await RunAsync("Frank\nexit\n", ct, "client", "ident", "--host", "127.0.0.1", "--port", $"{a}");
        var greeted = await RunAsync("exit\n", ct, "client", "ident", "--host", "127.0.0.1", "--port", $"{b}");
        var list = await RunAsync("", ct, "ident", "list", "--db", url);

        Assert.StartsWith("Welcome back, Frank! This is visit number 2;", greeted.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Frank", list.StandardOutput, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task While_the_database_is_down_clients_are_told_unavailable_and_the_servers_recover_by_themselves()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        var url = await postgres.CreateDatabaseAsync();
        var (server, port) = await DialogServerProcess.StartAsync("auth", url, ct);
        _processes.Add(server);
        var ident = await ServerAsync("ident", url, ct);
        await AuthClientAsync("gina\ngina password\ngina password\nexit\n", port, SessionFile("made"), ct);

        await postgres.StopAsync();
        ParleyProcess[] during;
        try
        {
            during = [await AuthClientAsync("gina\ngina password\nexit\n", port, SessionFile("d1"), ct),
                await AuthClientAsync("gina\ngina password\nexit\n", port, SessionFile("d2"), ct),
                await RunAsync("Gina\nexit\n", ct, "client", "ident", "--host", "127.0.0.1", "--port", $"{ident}")];
        }
        finally
        {
            await postgres.StartAsync();
        }

        var deadline = DateTime.UtcNow + TestTimeout.Default;
        ParleyProcess after;
        while (!(after = await AuthClientAsync("gina\ngina password\nexit\n", port, SessionFile("after"), ct)).StandardOutput.Contains("Welcome", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, after.StandardOutput);
        }

        Assert.All(during, c => Assert.Contains("error (unavailable): The server cannot reach its database; try again later.", c.StandardOutput, StringComparison.Ordinal));
        Assert.False(server.HasExited);
        await server.WaitForAsync(new Regex(@"The database \S+ is back"), ct, standardError: true);
        Assert.Single(Regex.Matches(server.StandardError, "Lost the database"));
        Assert.Single(Regex.Matches(server.StandardError, @"The database \S+ is back"));
        Assert.DoesNotContain(PostgreSqlServer.Password, server.StandardError, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task The_password_may_come_from_PGPASSWORD_or_pgpass_instead_of_the_URL()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        var withPassword = await postgres.CreateDatabaseAsync();
        await ServerAsync("ident", withPassword, ct);
        var url = withPassword.Replace(":" + PostgreSqlServer.Password + "@", "@", StringComparison.Ordinal);
        using var home = new TempFolder("parley-pgpass-");
        var pgpass = home.Combine(".pgpass");
        await File.WriteAllTextAsync(pgpass, $"127.0.0.1:{postgres.Port}:*:{PostgreSqlServer.User}:{PostgreSqlServer.Password}\n", ct);
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var fromEnvironment = ParleyProcess.Start(["auth", "users", "--db", url], new Dictionary<string, string?> { ["PGPASSWORD"] = PostgreSqlServer.Password });
        await using var fromFile = ParleyProcess.Start(["ident", "list"], new Dictionary<string, string?> { ["PARLEY_DB"] = url }, home: home.FullName);
        await using var without = ParleyProcess.Start(["ident", "list", "--db", url]);

        Assert.True(await fromEnvironment.WaitForExitAsync(ct) == 0, fromEnvironment.StandardError);
        Assert.True(await fromFile.WaitForExitAsync(ct) == 0, fromFile.StandardError);
        Assert.Equal(1, await without.WaitForExitAsync(ct));
        Assert.StartsWith($"parley: cannot use the database at 127.0.0.1:{postgres.Port}: ", without.StandardError, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task An_unreachable_database_at_start_is_one_line_naming_host_and_port_and_exit_code_1()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var server = await RunAsync("", ct, "serve", "auth", "--port", "0", "--host", "127.0.0.1", "--db", $"postgres://parley:hunter2@127.0.0.1:{port}/parley");

        Assert.Equal(1, await server.WaitForExitAsync(ct));
        Assert.Equal($"parley: cannot use the database at 127.0.0.1:{port}: Connection refused\n", server.StandardError);
        Assert.DoesNotContain("Listening", server.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:secret@db.example:99999/parley", "parley: --db: the URL's port '99999' is not a number from 1 to 65535")]
    [InlineData("postgres://u:secret@db.example/parley?pool=3", "parley: --db: the URL option 'pool' is not supported (accepted: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name)")]
    [InlineData("postgresql://u:secret@db.example", "parley: --db: the URL names no database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")]
    [InlineData("postgres://u:secret@db.example/parley?sslmode=sometimes", "parley: --db: sslmode 'sometimes' is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    public async Task A_malformed_database_URL_is_one_line_and_exit_code_2_before_anything_opens(string url, string error)
    {
        var ct = TestTimeout.Token();

        var server = await RunAsync("", ct, "serve", "auth", "--port", "0", "--db", url);

        Assert.Equal(2, await server.WaitForExitAsync(ct));
        Assert.Equal(error, server.StandardError.Split('\n')[0]);
        Assert.DoesNotContain("secret", server.StandardError, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task Healthz_is_503_while_the_database_is_stopped_and_200_once_it_is_back()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(120));
        var url = await postgres.CreateDatabaseAsync();
        var (server, _) = await DialogServerProcess.StartAsync("auth", url, ct, "--metrics", "127.0.0.1:0");
        _processes.Add(server);
        var metrics = await MetricsProcessTests.MetricsUrlAsync(server, ct);
        Assert.Equal("ok\n", await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.OK, ct));

        await postgres.StopAsync();
        string down;
        try
        {
            down = await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.ServiceUnavailable, ct);
        }
        finally
        {
            await postgres.StartAsync();
        }

        Assert.Contains("the server cannot reach its database", down, StringComparison.Ordinal);
        Assert.DoesNotContain("password", down, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ok\n", await MetricsProcessTests.HealthzAsync(metrics, HttpStatusCode.OK, ct));
        Assert.False(server.HasExited);
    }
}
