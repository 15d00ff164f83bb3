using System.Globalization;
using BenchmarkDotNet.Running;
using Parley.Benchmarks.Auth;

// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- hash      one Argon2id hash (BenchmarkDotNet)
// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- logins [COUNT [CLIENTS [MEMORY_KIB]]]
//     sign-ins per second over loopback at the server's hash settings, then the baseline of the same run: the same
//     sign-ins with a trivial hash (m=64 KiB, t=1), which shows what everything but hashing costs. MEMORY_KIB runs
//     that one setting alone.
// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- floods [PROBES [FLOODERS]]
//     a legitimate client's greeting and sign-in p50/p99 from 127.0.0.3 with no flood, then during each of issue 16's
//     floods from 127.0.0.2 (registrations, wrong passwords, connect-and-hang-up), same run.
// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- stores URL [COUNT [CLIENTS [MEMORY_KIB]]]
//     sign-ins per second on one server over SQLite, one over the PostgreSQL database URL, and two over it, same run,
//     same clients, each client its own account; MEMORY_KIB 64 (the default) leaves the store the main cost.
if (args.Length > 1 && args[0] == "stores")
{
    await StoreLoad.RunAsync(
        args[1],
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 16,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 64);
    return 0;
}

if (args.Length > 0 && args[0] == "floods")
{
    await FloodLoad.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64);
    return 0;
}

if (args.Length > 0 && args[0] == "logins")
{
    var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
    if (args.Length > 3)
    {
        await LoginLoad.RunAsync(count, concurrency, int.Parse(args[3], CultureInfo.InvariantCulture));
        return 0;
    }

    var owasp = await LoginLoad.RunAsync(count, concurrency);
    var trivial = await LoginLoad.RunAsync(count, concurrency, 64);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"at the server's settings: {owasp / trivial:0.000} of the trivial-hash baseline's sign-ins/s: hashing is {100 * (1 - owasp / trivial):0.#}% of a sign-in's cost"));
    return 0;
}

BenchmarkRunner.Run<PasswordHashBenchmarks>(args: args.Length > 0 && args[0] == "hash" ? args[1..] : args);
return 0;
