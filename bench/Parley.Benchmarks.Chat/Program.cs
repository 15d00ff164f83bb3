using System.Globalization;
using Parley.Benchmarks.Chat;

// dotnet run -c Release --project bench/Parley.Benchmarks.Chat -- [MEMBERS [SENDERS [MESSAGES [ROUNDS]]]]
//     the chat server in this process on loopback; SENDERS of MEMBERS members each send MESSAGES messages at once;
//     prints relayed datagrams per second, delivery latency and any loss; then the same against a bare relay, the
//     baseline, ROUNDS times each (default 3, alternating which goes first), and the ratio of the medians
// dotnet run -c Release --project bench/Parley.Benchmarks.Chat -- flood [FLOODERS [PINGS]]
//     a member's ping round trip from 127.0.0.3 without and during a flood by FLOODERS members from 127.0.0.2
//     (default 200, 50 pings ten a second), with and without the limits per address; then the amplification factor
// dotnet run -c Release --project bench/Parley.Benchmarks.Chat -- relay REDIS_URL [MEMBERS [SENDERS [MESSAGES [PINGS]]]]
//     one chat server alone, then two on one Redis (issue 17), twice each in turn: member-to-member latency p50/p99
//     (PINGS messages one at a time, default 1000) and deliveries per second of a burst (default 100 members, 10
//     senders x 100 messages); exits 1 when a delivery was lost
if (args.Length > 1 && args[0] == "relay")
{
    int Arg(int i, int byDefault) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : byDefault;
    return await ChatRelayLoad.RunAsync(args[1], Arg(2, 100), Arg(3, 10), Arg(4, 100), Arg(5, 1000));
}

if (args.Length > 0 && args[0] == "flood")
{
    return await ChatFlood.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50);
}

var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var senders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var messages = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
return await ChatLoad.RunAsync(members, senders, messages, rounds);
