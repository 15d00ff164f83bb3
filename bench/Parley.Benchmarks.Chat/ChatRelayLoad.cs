using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Chat;
using Parley.Chat.Redis;
using Parley.Udp;

namespace Parley.Benchmarks.Chat;

/// <summary>
/// The chat across servers (issue 17): one chat server alone, then two chat servers in this process relaying through
/// one Redis, same run. Latency: a member sends a message and waits until another member has it (on the same server
/// alone, on the other server with two), one message at a time, so nothing queues; p50 and p99. Rate: every member
/// of the room gets every message of a burst from several senders (half the members and senders on each server with
/// two); deliveries per second from the first message sent to the last delivered. Rate limits lifted, loopback only.
/// </summary>
public static class ChatRelayLoad
{
    public static async Task<int> RunAsync(string relay, int members, int senders, int messages, int pings)
    {
        if (!RedisRelayUrl.TryParse(relay, out var url, out var problem))
        {
            Console.Error.WriteLine($"relay: {problem}");
            return 2;
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = limit.Token;
        var failed = 0;
        foreach (var servers in (int[])[1, 2, 1, 2])
        {
            var room = $"bench{Environment.ProcessId}-{Stopwatch.GetTimestamp()}";
            var chats = new List<(UdpServer Server, RedisChatRelay? Relay)>();
            try
            {
                for (var i = 0; i < servers; i++)
                {
                    var options = new ChatServerOptions { Rate = 1e9, Burst = 1e9, History = 0, MaxMembers = members + 10, MaxMembersPerAddress = 0 };
                    RedisChatRelay? connected = servers == 1 ? null : await RedisChatRelay.ConnectAsync(
                        new RedisChatRelayOptions { Url = url!, Room = room, History = 0, MemberTimeout = options.MemberTimeout }, NullLoggerFactory.Instance);
                    var server = new UdpServer(new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 },
                        new ChatHandler(options, NullLoggerFactory.Instance, timeProvider: null, relay: connected), NullLoggerFactory.Instance);
                    server.Start();
                    chats.Add((server, connected));
                }

                Console.WriteLine(servers == 1 ? "one chat server, no relay:" : "two chat servers on one Redis:");
                failed |= await MeasureAsync(chats.Select(c => c.Server.EndPoint).ToList(), members, senders, messages, pings, ct);
            }
            finally
            {
                foreach (var (server, connected) in chats)
                {
                    await server.DisposeAsync();
                    if (connected is not null)
                    {
                        await connected.DisposeAsync();
                    }
                }
            }
        }

        return failed;
    }

    private static async Task<int> MeasureAsync(List<IPEndPoint> servers, int memberCount, int senders, int messages, int pings, CancellationToken ct)
    {
        var members = new List<BenchMember>();
        try
        {
            for (var i = 0; i < memberCount; i++)
            {
                members.Add(await BenchMember.JoinAsync(servers[i % servers.Count], $"m{i}", ct));
                await members[i].SkipAsync(1, ct);
            }

            // Every member has seen every join after its own (the others' servers' included).
            for (var i = 0; i < memberCount; i++)
            {
                await members[i].SkipAsync(memberCount - 1 - i, ct);
            }

            // Latency: m0 (on the first server) to m1 (on the second when there are two), one message at a time.
            var samples = new List<double>(pings);
            for (var n = 0; n < pings; n++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                await members[0].SendAsync($"ping {n}", ct);
                await members[1].SkipAsync(1, ct);
                samples.Add(Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds);
            }

            // The others had every message too: none may arrive during the burst.
            await Task.WhenAll(members.Skip(2).Select(m => m.SkipAsync(pings, ct)));
            samples.Sort();
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c,
                $"  latency, member to member, {pings} messages one at a time: p50 {Percentile(samples, 0.50):0} us, p99 {Percentile(samples, 0.99):0} us"));

            // Rate: senders (spread over the servers) send messages each at once; every other member gets each.
            foreach (var member in members)
            {
                member.Reset();
            }

            var expected = (long)senders * messages * (memberCount - 1);
            var started = BenchMember.Now();
            await Task.WhenAll(members.Take(senders).Select(sender => Task.Run(async () =>
            {
                for (var n = 0; n < messages; n++)
                {
                    await sender.SendAsync($"message {n}", ct);
                }
            }, ct)));
            long delivered = 0;
            var quiet = Stopwatch.StartNew();
            while (delivered < expected && quiet.Elapsed < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(5, ct);
                var now = members.Sum(m => (long)m.Received);
                if (now != delivered)
                {
                    (delivered, quiet) = (now, Stopwatch.StartNew());
                }
            }

            var seconds = Math.Max(1, members.Max(m => m.LastAt) - started) / (double)TimeSpan.TicksPerSecond;
            Console.WriteLine(string.Create(c,
                $"  rate, {memberCount} members, {senders} senders x {messages}: {delivered / seconds:0} deliveries/s; {delivered} of {expected} delivered"));
            return delivered == expected ? 0 : 1;
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
