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
    /// <summary>Runs the load; sign-ins per second.</summary>
    public static async Task<double> RunAsync(int count, int concurrency, int memoryKiB = 19456)
    {
        var folder = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            using var database = ParleyDatabase.Open(Path.Combine(folder, "parley.db"));
            var store = new AuthStore(database);
            var hasher = new PasswordHasher(memoryKiB == 19456 ? Argon2Settings.Owasp : new Argon2Settings(memoryKiB, 1));
            await store.CreateUserAsync("bench", hasher.Hash("bench password"), DateTimeOffset.UtcNow);
            using var pool = new PasswordHashingPool();
            var handler = new AuthHandler(store, new AuthOptions { AllowRegistration = false }, hasher, pool, NullLoggerFactory.Instance);
            await using var server = new TcpServer(new TcpServerOptions { Address = IPAddress.Loopback, Port = 0, Backlog = 1024 }, handler, NullLoggerFactory.Instance);
            server.Start();
            var port = server.EndPoint.Port;

            await SignInAsync(port); // warm up the JIT and the connection pool of the database
            var latencies = new double[count];
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    await SignInAsync(port);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            clock.Stop();

            Array.Sort(latencies);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{count} sign-ins, {concurrency} clients at once, {pool.Workers} hashing threads, Argon2id {hasher.Settings}"));
            var rate = count / clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"{rate:0.0} sign-ins/s; latency p50 {Percentile(latencies, 0.50):0} ms, p90 {Percentile(latencies, 0.90):0} ms, p99 {Percentile(latencies, 0.99):0} ms, max {latencies[^1]:0} ms"));
            return rate;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task SignInAsync(int port)
    {
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", port);
        var result = await DialogClient.RunAsync(connection, new Script(), new DialogClientOptions { Service = "auth" }, NullLogger.Instance);
        if (result.Outcome != DialogClientOutcome.Exited)
        {
            throw new InvalidOperationException($"a sign-in ended with {result.Outcome}: {result.Bye}");
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Answers the user name and password, then says exit.</summary>
    private sealed class Script : IDialogUser
    {
        public ValueTask ShowAsync(DialogMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<string?> AskAsync(DialogMessage question, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>(question.Id == "username" ? "bench" : "bench password");

        public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("exit");
    }
}
