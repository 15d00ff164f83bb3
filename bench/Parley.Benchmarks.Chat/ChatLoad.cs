using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var failed = 0;
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which goes first, so that neither always runs on a warmer machine.
            foreach (var isParley in round % 2 == 1 ? [true, false] : (bool[])[false, true])
            {
                Console.WriteLine(isParley ? $"round {round}, Parley's chat server:" : $"round {round}, baseline, a bare relay (no nicknames, order, limits or notices):");
                var (perSecond, lost) = isParley
                    ? await MeasureParleyAsync(memberCount, senders, messages, limit.Token)
                    : await MeasureBareAsync(memberCount, senders, messages, limit.Token);
                (isParley ? parley : baseline).Add(perSecond);
                failed |= lost;
            }
        }

        var (p, b) = (Median(parley), Median(baseline));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds} rounds: Parley {p:0} datagrams/s, baseline {b:0}: {p / b:0.00} times the baseline"));
        return failed;
    }

    private static async Task<(double PerSecond, int Failed)> MeasureParleyAsync(int memberCount, int senders, int messages, CancellationToken cancellationToken)
    {
        var handler = new ChatHandler(new ChatServerOptions { Rate = 1e9, Burst = 1e9, History = 0, MaxMembers = memberCount }, NullLoggerFactory.Instance);
        await using var server = new UdpServer(new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 }, handler, NullLoggerFactory.Instance);
        server.Start();
        // Every member has had the join notice of each member after it.
        return await MeasureAsync(server.EndPoint, () => server.DatagramsSent,
            members => members.Select((m, i) => m.Received >= memberCount - i).All(done => done), memberCount, senders, messages, cancellationToken);
    }

    private static async Task<(double PerSecond, int Failed)> MeasureBareAsync(int memberCount, int senders, int messages, CancellationToken cancellationToken)
    {
        using var bare = BareRelay.Start();
        return await MeasureAsync(bare.EndPoint, () => bare.DatagramsSent, _ => bare.MemberCount == memberCount, memberCount, senders, messages, cancellationToken);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static async Task<(double PerSecond, int Failed)> MeasureAsync(
        IPEndPoint endPoint, Func<long> relayed, Func<IReadOnlyList<Member>, bool> joined, int memberCount, int senders, int messages,
        CancellationToken cancellationToken)
    {
        var members = new List<Member>();
        try
        {
            for (var i = 0; i < memberCount; i++)
            {
                members.Add(await Member.JoinAsync(endPoint, $"m{i}", cancellationToken));
            }

            // Let every join land (and, with Parley, its notices), then count only the burst.
            while (!joined(members))
            {
                await Task.Delay(10, cancellationToken);
            }

            foreach (var member in members)
            {
                member.Reset();
            }

            var expected = (long)senders * messages * (memberCount - 1);
            var relayedBefore = relayed();
            var startedAt = Member.Now();
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
                }
            }

            var elapsed = TimeSpan.FromTicks(Math.Max(1, members.Max(m => m.LastAt) - startedAt));
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{memberCount} members, {senders} senders x {messages} messages = {senders * messages} messages, {expected} deliveries expected"));
            Console.WriteLine(string.Create(c, $"sent in {sent.TotalMilliseconds:0} ms; last delivery after {elapsed.TotalMilliseconds:0} ms"));
            var perSecond = (relayed() - relayedBefore) / elapsed.TotalSeconds;
            Console.WriteLine(string.Create(c, $"{perSecond:0} datagrams relayed per second; {delivered} delivered, {expected - delivered} lost ({100.0 * (expected - delivered) / expected:0.###} %)"));
            return (perSecond, delivered == expected ? 0 : 1);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    private sealed class Member : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly Task _reader;
        private readonly CancellationTokenSource _closing = new();
        private int _received;
        private long _lastAt;

        private Member(Socket socket)
        {
            _socket = socket;
            _reader = Task.Run(ReadAsync);
        }

        public int Received => Volatile.Read(ref _received);

        public long LastAt => Volatile.Read(ref _lastAt);

        /// <summary>Now, in ticks of <see cref="TimeSpan"/>.</summary>
        public static long Now() => Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency;

        public static async Task<Member> JoinAsync(IPEndPoint server, string nickname, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
            await socket.ConnectAsync(server, cancellationToken);
            await socket.SendAsync(Encoding.UTF8.GetBytes($"/join {nickname}"), SocketFlags.None, cancellationToken);
            return new Member(socket);
        }

        public async Task SendAsync(string text, CancellationToken cancellationToken) =>
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None, cancellationToken);

        public void Reset() => Volatile.Write(ref _received, 0);

        public async ValueTask DisposeAsync()
        {
            await _closing.CancelAsync();
            _socket.Dispose();
            try
            {
                await _reader;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Closing: the reader stops either way.
            }

            _closing.Dispose();
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[2048];
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token);
                if (buffer.AsSpan(0, n).StartsWith("? /join "u8))
                {
                    // Parley's challenge to a new address: send the line back to complete the join.
                    await _socket.SendAsync(buffer.AsMemory(2, n - 2), SocketFlags.None, _closing.Token);
                    continue;
                }

                Interlocked.Increment(ref _received);
                Volatile.Write(ref _lastAt, Now());
            }
        }
    }
}
