using System.Collections.Concurrent;
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
/// The chat under the attacks of issue 16, in this process on loopback. A member from 127.0.0.3 pings the server
/// (<c>/ping</c>, ten a second, within its own rate limit) without a flood, then while <c>flooders</c> members from
/// 127.0.0.2 each send 15 messages a second (within their own rate of 20); prints the round trip's p50 and p99 and
/// the pings lost (no pong within 1 s), with the limits <c>parley serve chat</c> sets by default, with those but no
/// cap on members per address, and with no limits per address at all. Then the amplification factor: bytes sent to
/// a forged address for an 8-byte <c>/join</c> and a 4-byte <c>/who</c>.
/// </summary>
public static class ChatFlood
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Person = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Victim = IPAddress.Parse("127.0.0.4");

    public static async Task<int> RunAsync(int flooders, int pings)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = limit.Token;
        Console.WriteLine($"{flooders} members from {Attacker} at 15 messages a second each; {pings} pings from {Person}, ten a second");
        await MeasureAsync("limits as parley serve chat sets them (32 members and 100 messages/s per address, backlog 10000)", AsTheCliSetsIt, flooders, pings, ct);
        await MeasureAsync("the same without the cap on members per address", o =>
        {
            AsTheCliSetsIt(o);
            o.MaxMembersPerAddress = 0;
        }, flooders, pings, ct);
        await MeasureAsync("no limits per address and no bound on the backlog (the library's defaults)", _ => { }, flooders, pings, ct);
        await AmplificationAsync(ct);
        return 0;
    }

    private static void AsTheCliSetsIt(ChatServerOptions options)
    {
        options.MaxMembersPerAddress = 32;
        options.RatePerAddress = 100;
        options.MaxBacklog = 10_000;
    }

    private static async Task MeasureAsync(string title, Action<ChatServerOptions> configure, int flooders, int pings, CancellationToken ct)
    {
        var options = new ChatServerOptions { MaxMembers = 10_000 };
        configure(options);
        var handler = new ChatHandler(options, NullLoggerFactory.Instance);
        await using var server = new UdpServer(new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 }, handler, NullLoggerFactory.Instance);
        server.Start();
        using var person = await Peer.JoinAsync(server.EndPoint, Person, "person", ct);
        var quiet = await person.PingAsync(pings, ct);

        var flood = new List<Peer>();
        try
        {
            for (var i = 0; i < flooders; i++)
            {
                var flooder = await Peer.JoinAsync(server.EndPoint, Attacker, $"flood{i:000}", ct);
                flooder.StopReading();
                flood.Add(flooder);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var flooding = FloodAsync(flood, stop.Token);
            var loaded = await person.PingAsync(pings, ct);
            await stop.CancelAsync();
            await flooding;

            Console.WriteLine($"{title}:");
            Console.WriteLine($"  {flood.Count(f => f.Joined)} of {flooders} flooders joined");
            Console.WriteLine($"  without the flood: {quiet}");
            Console.WriteLine($"  during the flood:  {loaded}");
            Console.WriteLine($"  dropped over the rate per address: {handler.DroppedPerAddress}, shed from the backlog: {handler.MessagesShed}, joins refused per address: {handler.JoinsRefusedPerAddress}");
        }
        finally
        {
            foreach (var peer in flood)
            {
                peer.Dispose();
            }
        }
    }

    private static async Task FloodAsync(List<Peer> flood, CancellationToken ct)
    {
        var text = Encoding.UTF8.GetBytes("a message of the flood, as long as a real one might be");
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / 15));
        try
        {
            while (await pace.WaitForNextTickAsync(ct))
            {
                foreach (var peer in flood)
                {
                    peer.Send(text);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The pings are done.
        }
    }

    private static async Task AmplificationAsync(CancellationToken ct)
    {
        var options = new ChatServerOptions();
        AsTheCliSetsIt(options);
        await using var server = new UdpServer(
            new UdpServerOptions { Address = IPAddress.Loopback, Port = 0 }, new ChatHandler(options, NullLoggerFactory.Instance), NullLoggerFactory.Instance);
        server.Start();
        using var alice = await Peer.JoinAsync(server.EndPoint, Person, "alice", ct);
        for (var i = 0; i < 20; i++)
        {
            alice.Send(Encoding.UTF8.GetBytes($"a line for the history, number {i}: " + new string('x', 1100)));
        }

        foreach (var request in new[] { "/join ab", "/who" })
        {
            // The victim of a forged address never asked for anything, and answers nothing.
            using var victim = Peer.Open(server.EndPoint, Victim, answersChallenges: false);
            victim.Send(Encoding.UTF8.GetBytes(request));

            // The server answers in order: once alice's ping is answered, whatever the victim was sent is out.
            await alice.PingAsync(1, ct);
            var received = victim.TakeReceivedBytes();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"amplification: a {request.Length}-byte '{request}' from an address that has not joined: {received} bytes sent to it ({(double)received / request.Length:0.##}x)"));
        }
    }

    /// <summary>A UDP socket from a chosen loopback address that joins, answering the challenge, and pings.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Socket _socket;
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _pongs = new();
        private readonly CancellationTokenSource _closing = new();
        private long _receivedBytes;

        private readonly bool _answersChallenges;

        private Peer(Socket socket, bool answersChallenges)
        {
            _socket = socket;
            _answersChallenges = answersChallenges;
            _ = Task.Run(ReadAsync);
        }

        public bool Joined { get; private set; }

        public static Peer Open(IPEndPoint server, IPAddress from, bool answersChallenges = true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
            socket.Bind(new IPEndPoint(from, 0));
            socket.Connect(server);
            return new Peer(socket, answersChallenges);
        }

        public static async Task<Peer> JoinAsync(IPEndPoint server, IPAddress from, string nickname, CancellationToken ct)
        {
            var peer = Open(server, from);
            var welcome = peer.Expect("* you joined as ");
            var refused = peer.Expect("! ");
            peer.Send(Encoding.UTF8.GetBytes($"/join {nickname}"));
            await Task.WhenAny(welcome, refused, Task.Delay(TimeSpan.FromSeconds(2), ct));
            peer.Joined = welcome.IsCompleted;
            return peer;
        }

        public void Send(byte[] datagram)
        {
            try
            {
                _socket.Send(datagram);
            }
            catch (SocketException)
            {
                // A refused earlier datagram surfaces on a later send: an attacker sends on regardless.
            }
        }

        /// <summary>From now on nobody reads: the kernel drops what comes, at no cost to the measurement.</summary>
        public void StopReading()
        {
            _closing.Cancel();
            _socket.ReceiveBufferSize = 1;
        }

        public long TakeReceivedBytes() => Interlocked.Exchange(ref _receivedBytes, 0);

        public async Task<Pings> PingAsync(int count, CancellationToken ct)
        {
            var rtts = new List<double>();
            var lost = 0;
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < count; i++)
            {
                await pace.WaitForNextTickAsync(ct);
                var token = Guid.NewGuid().ToString("N")[..8];
                var pong = Expect($"/pong {token}");
                var sentAt = Stopwatch.GetTimestamp();
                Send(Encoding.UTF8.GetBytes($"/ping {token}"));
                if (await Task.WhenAny(pong, Task.Delay(TimeSpan.FromSeconds(1), ct)) == pong)
                {
                    rtts.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                }
                else
                {
                    lost++;
                }
            }

            return new Pings(rtts, lost);
        }

        public void Dispose()
        {
            _closing.Cancel();
            _socket.Dispose();
            _closing.Dispose();
        }

        private Task Expect(string prefix)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pongs[prefix] = waiter;
            return waiter.Task;
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token);
                    Interlocked.Add(ref _receivedBytes, n);
                    var text = Encoding.UTF8.GetString(buffer, 0, n);
                    if (_answersChallenges && text.StartsWith("? /join ", StringComparison.Ordinal))
                    {
                        Send(Encoding.UTF8.GetBytes(text[2..]));
                    }

                    foreach (var (prefix, waiter) in _pongs)
                    {
                        if (text.StartsWith(prefix, StringComparison.Ordinal) && _pongs.TryRemove(prefix, out _))
                        {
                            waiter.TrySetResult();
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Closed.
            }
        }
    }

    private sealed record Pings(List<double> Rtts, int Lost)
    {
        public override string ToString()
        {
            Rtts.Sort();
            double At(double q) => Rtts.Count == 0 ? double.NaN : Rtts[Math.Min(Rtts.Count - 1, (int)Math.Ceiling(q * Rtts.Count) - 1)];
            return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5):0.###} ms, p99 {At(0.99):0.###} ms, {Lost} of {Rtts.Count + Lost} lost");
        }
    }
}
