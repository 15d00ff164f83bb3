using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// A private PostgreSQL server for the tests: Debian's binaries, a data folder of its own under /tmp, a free loopback
/// port, a superuser with a password (so that password handling is tested for real), stopped and removed on dispose.
/// As root, initdb and postgres run as the <c>postgres</c> user (initdb refuses root). <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> make outages.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string User = "parley";
    public const string Password = "pg-test-secret";
    private static readonly string? BinDirectory = FindBinaries();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _dataDirectory;
    private int _databases;

    /// <summary>Why the tests that need PostgreSQL cannot run here, or null when they can.</summary>
    public static string? WhyUnavailable =>
        BinDirectory is null ? "PostgreSQL is not installed (Debian package postgresql: /usr/lib/postgresql/*/bin/postgres)"
        : Environment.UserName == "root" && !File.Exists("/usr/sbin/runuser") ? "running as root without runuser" : null;

    /// <summary>Whether a missing PostgreSQL must fail the tests instead of skipping them (CI sets PARLEY_REQUIRE_SERVICES=1).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("PARLEY_REQUIRE_SERVICES") == "1";

    public int Port { get; private set; }

    public bool Running { get; private set; }

    public async Task InitializeAsync()
    {
        if (WhyUnavailable is not null)
        {
            if (Required)
            {
                throw new InvalidOperationException($"PARLEY_REQUIRE_SERVICES=1 but {WhyUnavailable}");
            }

            return;
        }

        _dataDirectory = Directory.CreateTempSubdirectory("parley-pg-").FullName;
        var passwordFile = Path.Combine(_dataDirectory, "password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var data = Path.Combine(_dataDirectory, "data");
        if (AsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _dataDirectory], asPostgres: false);
        }

        await RunAsync(Bin("initdb"), ["-D", data, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
            "--no-sync", "-E", "UTF8", "--locale", "C"]);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts (again) the server on its port, and waits until it takes connections.</summary>
    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var options = string.Create(CultureInfo.InvariantCulture,
                $"-p {Port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");
            await RunAsync(Bin("pg_ctl"), ["start", "-w", "-t", "60", "-D", DataPath, "-l", Path.Combine(_dataDirectory!, "log"), "-o", options]);
            Running = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server at once (fast shutdown: clients are disconnected).</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await RunAsync(Bin("pg_ctl"), ["stop", "-w", "-t", "60", "-m", "fast", "-D", DataPath]);
            Running = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A new, empty database; its URL carries the password unless <paramref name="withPassword"/> is false.</summary>
    public async Task<string> CreateDatabaseAsync(bool withPassword = true)
    {
        var name = "parley_test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await RunAsync(Bin("createdb"), ["-h", _dataDirectory!, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, name]);
        return Url(name, withPassword);
    }

    /// <summary>The URL of database <paramref name="name"/> on this server.</summary>
    public string Url(string name, bool withPassword = true) =>
        string.Create(CultureInfo.InvariantCulture, $"postgres://{User}{(withPassword ? ":" + Password : "")}@127.0.0.1:{Port}/{name}");

    /// <summary>Runs SQL in <paramref name="database"/> with psql, as the superuser; its standard output.</summary>
    public Task<string> PsqlAsync(string database, string sql) =>
        RunAsync(Bin("psql"), ["-h", _dataDirectory!, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database,
            "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]);

    public async Task DisposeAsync()
    {
        if (_dataDirectory is null)
        {
            return;
        }

        if (Running)
        {
            await StopAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static bool AsRoot => Environment.UserName == "root";

    private string DataPath => Path.Combine(_dataDirectory!, "data");

    private static string Bin(string name) => Path.Combine(BinDirectory!, name);

    private static string? FindBinaries() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "postgres")) && File.Exists(Path.Combine(bin, "initdb")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            .FirstOrDefault()
        : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string program, string[] arguments, bool asPostgres = true)
    {
        var info = new ProcessStartInfo(asPostgres && AsRoot ? "/usr/sbin/runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgres && AsRoot)
        {
            foreach (var part in (string[])["-u", "postgres", "--", program])
            {
                info.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PGPASSWORD"] = Password;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
