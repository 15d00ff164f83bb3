using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Chat;
using Parley.Udp;

namespace Parley.Benchmarks.Chat;

/// <summary>
/// A load run of the chat server: it runs in this process on a loopback port, with the rate limit lifted so that
/// the relaying itself is measured. <c>members</c> raw UDP members join; <c>senders</c> of them then send
/// <c>messages</c> messages each, all at once; every member reads on its own. Prints datagrams relayed per second,
/// the time from the first message sent to the last one delivered, and how many deliveries were lost (UDP may drop
/// under load: a full socket buffer drops silently). Then the same against <see cref="BareRelay"/>, the baseline of
/// the same run. Bounded in count and time; loopback only.
/// </summary>
public static class ChatLoad
{
    public static async Task<int> RunAsync(int memberCount, int senders, int messages, int rounds = 3)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var parley = new List<double>();
        var baseline = new List<double>();
        var parleyCpu = new List<double>();
        var baselineCpu = new List<double>();
        var failed = 0;
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which goes first, so that neither always runs on a warmer machine.
            foreach (var isParley in round % 2 == 1 ? [true, false] : (bool[])[false, true])
            {
                Console.WriteLine(isParley ? $"round {round}, Parley's chat server:" : $"round {round}, baseline, a bare relay (no nicknames, order, limits or notices):");
                var (perSecond, cpu, lost) = isParley
                    ? await MeasureParleyAsync(memberCount, senders, messages, limit.Token)
                    : await MeasureBareAsync(memberCount, senders, messages, limit.Token);
                (isParley ? parley : baseline).Add(perSecond);
                (isParley ? parleyCpu : baselineCpu).Add(cpu);
                failed |= lost;
            }
        }

        var (p, b) = (Median(parley), Median(baseline));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds} rounds: Parley {p:0} datagrams/s, baseline {b:0}: {p / b:0.00} times the baseline"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU of the whole process per delivery (server and members), median: Parley {Median(parleyCpu):0.00} us, baseline {Median(baselineCpu):0.00} us"));
        return failed;
    }

    private static async Task<(double PerSecond, double CpuMicroseconds, int Failed)> MeasureParleyAsync(int memberCount, int senders, int messages, CancellationToken cancellationToken)
    {
        var handler = new ChatHandler(new ChatServerOptions { Rate = 1e9, Burst = 1e9, History = 0, MaxMembers = memberCount }, NullLoggerFactory.Instance);
        await using var server = new UdpServer(new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 }, handler, NullLoggerFactory.Instance);
        server.Start();
        // Every member is in, and has had its welcome and the join notice of each member who joined after it: the
        // joins complete in whatever order the challenges come back, not always in the members' order, so count them
        // together (1 + 2 + ... + members).
        var notices = (long)memberCount * (memberCount + 1) / 2;
        return await MeasureAsync(server.EndPoint, () => server.DatagramsSent,
            members => handler.MemberCount == memberCount && members.Sum(m => (long)m.Received) >= notices, memberCount, senders, messages, cancellationToken);
    }

    private static async Task<(double PerSecond, double CpuMicroseconds, int Failed)> MeasureBareAsync(int memberCount, int senders, int messages, CancellationToken cancellationToken)
    {
        using var bare = BareRelay.Start();
        return await MeasureAsync(bare.EndPoint, () => bare.DatagramsSent, _ => bare.MemberCount == memberCount, memberCount, senders, messages, cancellationToken);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static async Task<(double PerSecond, double CpuMicroseconds, int Failed)> MeasureAsync(
        IPEndPoint endPoint, Func<long> relayed, Func<IReadOnlyList<BenchMember>, bool> joined, int memberCount, int senders, int messages,
        CancellationToken cancellationToken)
    {
        var members = new List<BenchMember>();
        try
        {
            for (var i = 0; i < memberCount; i++)
            {
                members.Add(await BenchMember.JoinAsync(endPoint, $"m{i}", cancellationToken));
            }

            // Let every join land (and, with Parley, its notices), then count only the burst.
            var joining = Stopwatch.StartNew();
            while (!joined(members))
            {
                if (joining.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"the joins did not all land within 30 s ({members.Sum(m => (long)m.Received)} datagrams received by the members)");
                }

                await Task.Delay(10, cancellationToken);
            }

            foreach (var member in members)
            {
                member.Reset();
            }

            var expected = (long)senders * messages * (memberCount - 1);
            var relayedBefore = relayed();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var cpu = TimeSpan.Zero;
            var startedAt = BenchMember.Now();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(members.Take(senders).Select(sender => Task.Run(async () =>
            {
                for (var n = 0; n < messages; n++)
                {
                    await sender.SendAsync($"message {n}", cancellationToken);
                }
            })));
            var sent = clock.Elapsed;

            // Wait until every delivery is in, or nothing has arrived for a second (the rest was lost).
            long delivered = 0;
            var quietSince = Stopwatch.StartNew();
            while (delivered < expected && quietSince.Elapsed < TimeSpan.FromSeconds(1))
            {
                await Task.Delay(5, cancellationToken);
                var now = members.Sum(m => (long)m.Received);
                if (now != delivered)
                {
                    delivered = now;
                    quietSince.Restart();
                    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                }
            }

            var elapsed = TimeSpan.FromTicks(Math.Max(1, members.Max(m => m.LastAt) - startedAt));
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{memberCount} members, {senders} senders x {messages} messages = {senders * messages} messages, {expected} deliveries expected"));
            Console.WriteLine(string.Create(c, $"sent in {sent.TotalMilliseconds:0} ms; last delivery after {elapsed.TotalMilliseconds:0} ms"));
            var perSecond = (relayed() - relayedBefore) / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"{perSecond:0} datagrams relayed per second; {delivered} delivered, {expected - delivered} lost ({100.0 * (expected - delivered) / expected:0.###} %)"));
            var cpuPerDelivery = cpu.TotalMicroseconds / Math.Max(1, delivered);
            Console.WriteLine(string.Create(c, $"CPU of the whole process per delivery (server and members): {cpuPerDelivery:0.00} us"));
            return (perSecond, cpuPerDelivery, delivered == expected ? 0 : 1);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
