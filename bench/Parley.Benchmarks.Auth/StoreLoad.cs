using System.Globalization;
using Parley.Storage;

namespace Parley.Benchmarks.Auth;

/// <summary>
/// Sign-ins per second by store (issue 17), same run, same clients: one server on an SQLite file, one server on a
/// PostgreSQL database, two servers (in this process, each with its own connection pool, as two processes would have)
/// on one PostgreSQL database. Each client signs in as an account of its own, from an address of its own.
/// </summary>
public static class StoreLoad
{
    public static async Task RunAsync(string url, int count, int concurrency, int memoryKiB)
    {
        var c = CultureInfo.InvariantCulture;
        var postgres = PostgreSqlUrl.Parse(url);
        var folder = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        try
        {
            Console.WriteLine("== one server, SQLite");
            double sqlite;
            using (var file = ParleyDatabase.Open(Path.Combine(folder, "parley.db")))
            {
                sqlite = await LoginLoad.RunAsync([file], count, concurrency, memoryKiB, concurrency, ownAddresses: true);
            }

            Console.WriteLine("== one server, PostgreSQL");
            double one;
            using (var database = PostgreSqlDatabase.Open(postgres))
            {
                one = await LoginLoad.RunAsync([database], count, concurrency, memoryKiB, concurrency, ownAddresses: true);
            }

            Console.WriteLine("== two servers, one PostgreSQL database");
            double two;
            using (var a = PostgreSqlDatabase.Open(postgres))
            using (var b = PostgreSqlDatabase.Open(postgres))
            {
                two = await LoginLoad.RunAsync([a, b], count, concurrency, memoryKiB, concurrency, ownAddresses: true);
            }

            Console.WriteLine(string.Create(c, $"sign-ins/s: SQLite {sqlite:0}, PostgreSQL {one:0} ({one / sqlite:0.00} of SQLite), two servers on PostgreSQL {two:0} ({two / one:0.00} of one)"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
