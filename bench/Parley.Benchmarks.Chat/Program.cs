using System.Globalization;
using Parley.Benchmarks.Chat;

// dotnet run -c Release --project bench/Parley.Benchmarks.Chat -- [MEMBERS [SENDERS [MESSAGES [ROUNDS]]]]
//     the chat server in this process on loopback; SENDERS of MEMBERS members each send MESSAGES messages at once;
//     prints relayed datagrams per second, delivery latency and any loss; then the same against a bare relay, the
//     baseline, ROUNDS times each (default 3, alternating which goes first), and the ratio of the medians
var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var senders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var messages = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
return await ChatLoad.RunAsync(members, senders, messages, rounds);
