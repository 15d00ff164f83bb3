using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Auth;
using Parley.Dialog;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Benchmarks.Auth;

/// <summary>
/// A load run: the authentication server in this process on a loopback port, registration closed, one account;
/// <c>count</c> full sign-ins (connect, hello, user name, password, session, exit) by <c>concurrency</c> clients at
/// once. Prints sign-ins per second and latency percentiles. Bounded in count; loopback only.
/// </summary>
public static class LoginLoad
{
    /// <summary>Runs the load on one server over an SQLite file; sign-ins per second.</summary>
    public static async Task<double> RunAsync(int count, int concurrency, int memoryKiB = 19456)
    {
        var folder = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            using var database = ParleyDatabase.Open(Path.Combine(folder, "parley.db"));
            return await RunAsync([database], count, concurrency, memoryKiB, accounts: 1, ownAddresses: false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Runs the load on one server per database in <paramref name="databases"/> (several on one PostgreSQL database are
    /// one service), client k signing in to server k modulo their number as account <c>bench{k % accounts}</c>; with
    /// <paramref name="ownAddresses"/>, from an address of its own (127.0.0.(k+2)), as users on their own machines.
    /// </summary>
    public static async Task<double> RunAsync(
        IReadOnlyList<ParleyDatabase> databases, int count, int concurrency, int memoryKiB, int accounts, bool ownAddresses)
    {
        var hasher = new PasswordHasher(memoryKiB == 19456 ? Argon2Settings.Owasp : new Argon2Settings(memoryKiB, 1));
        var hash = hasher.Hash("bench password");
        for (var account = 0; account < accounts; account++)
        {
            await new AuthStore(databases[0]).CreateUserAsync(Account(account), hash, DateTimeOffset.UtcNow);
        }

        var pools = new List<PasswordHashingPool>();
        var servers = new List<TcpServer>();
        try
        {
            foreach (var database in databases)
            {
                var pool = new PasswordHashingPool();
                pools.Add(pool);
                var handler = new AuthHandler(new AuthStore(database), new AuthOptions { AllowRegistration = false }, hasher, pool, NullLoggerFactory.Instance);
                var server = new TcpServer(new TcpServerOptions { Address = IPAddress.Loopback, Port = 0, Backlog = 1024 }, handler, NullLoggerFactory.Instance);
                servers.Add(server);
                server.Start();
            }

            var ports = servers.Select(s => s.EndPoint.Port).ToArray();
            foreach (var port in ports)
            {
                await SignInAsync(port, Account(0)); // warm up the JIT and the connection pool of the database
            }

            var latencies = new double[count];
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async client =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    await SignInAsync(ports[client % ports.Length], Account(client % accounts),
                        ownAddresses ? new IPAddress([127, 0, 0, (byte)(2 + (client % 250))]) : null);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            clock.Stop();

            Array.Sort(latencies);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c,
                $"{count} sign-ins, {concurrency} clients at once, {servers.Count} server(s) with {pools[0].Workers} hashing threads each, {accounts} account(s), Argon2id {hasher.Settings}"));
            var rate = count / clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"{rate:0.0} sign-ins/s; latency p50 {Percentile(latencies, 0.50):0} ms, p90 {Percentile(latencies, 0.90):0} ms, p99 {Percentile(latencies, 0.99):0} ms, max {latencies[^1]:0} ms"));
            return rate;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            pools.ForEach(pool => pool.Dispose());
        }
    }

    private static string Account(int k) => k == 0 ? "bench" : string.Create(CultureInfo.InvariantCulture, $"bench{k}");

    private static async Task SignInAsync(int port, string account, IPAddress? from = null)
    {
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", port, new ConnectOptions { LocalAddress = from });
        var result = await DialogClient.RunAsync(connection, new Script(account), new DialogClientOptions { Service = "auth" }, NullLogger.Instance);
        if (result.Outcome != DialogClientOutcome.Exited)
        {
            throw new InvalidOperationException($"a sign-in ended with {result.Outcome}: {result.LastError?.Code} {result.LastError?.Text} {result.Bye}");
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Answers the user name and password, then says exit.</summary>
    private sealed class Script(string account) : IDialogUser
    {
        public ValueTask ShowAsync(DialogMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<string?> AskAsync(DialogMessage question, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>(question.Id == "username" ? account : "bench password");

        public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("exit");
    }
}
