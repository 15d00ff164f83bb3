using BenchmarkDotNet.Running;
using Parley.Benchmarks.Auth;

// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- hash      one Argon2id hash (BenchmarkDotNet)
// dotnet run -c Release --project bench/Parley.Benchmarks.Auth -- logins [COUNT [CLIENTS [MEMORY_KIB]]]
//     sign-ins per second over loopback; MEMORY_KIB (default 19456) other than the server's only to see what the
//     rest of a sign-in costs
if (args.Length > 0 && args[0] == "logins")
{
    var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400;
    var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16;
    var memory = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 19456;
    await LoginLoad.RunAsync(count, concurrency, memory);
    return 0;
}

BenchmarkRunner.Run<PasswordHashBenchmarks>(args: args.Length > 0 && args[0] == "hash" ? args[1..] : args);
return 0;
