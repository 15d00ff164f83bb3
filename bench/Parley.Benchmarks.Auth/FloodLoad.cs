using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Auth;
using Parley.Dialog;
using Parley.Framing;
using Parley.Identity;
using Parley.Storage;
using Parley.Tcp;

namespace Parley.Benchmarks.Auth;

/// <summary>
/// Issue 16's floods, measured: the identification and authentication servers in this process on loopback, with the
/// command line's defaults for the limits (registrations per address, the hashing queue's shares, waiting writes),
/// and a legitimate client from 127.0.0.3 timing its greeting (ident: connect to the <c>say</c> that greets it) and
/// its sign-in (auth: connect to <c>session</c>) with no flood, then during each flood from 127.0.0.2: registering
/// throw-away accounts, wrong passwords, connecting and hanging up after the hello. Bounded in count and time.
/// </summary>
public static class FloodLoad
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Legitimate = IPAddress.Parse("127.0.0.3");

    /// <summary>Runs every phase with <paramref name="probes"/> greetings and sign-ins each, <paramref name="flooders"/> attacking connections at once.</summary>
    public static async Task RunAsync(int probes, int flooders)
    {
        var folder = Directory.CreateTempSubdirectory("parley-flood-").FullName;
        try
        {
            // One database file, opened by each server as its own process would, with the command line's bound.
            using var authDatabase = ParleyDatabase.Open(Path.Combine(folder, "parley.db"));
            using var identDatabase = ParleyDatabase.Open(Path.Combine(folder, "parley.db"));
            authDatabase.MaxWaitingWrites = identDatabase.MaxWaitingWrites = 64;
            var hasher = new PasswordHasher();
            var authStore = new AuthStore(authDatabase);
            await authStore.CreateUserAsync("owner", hasher.Hash("owners password"), DateTimeOffset.UtcNow);
            await authStore.CreateUserAsync("victim", hasher.Hash("victims password"), DateTimeOffset.UtcNow);
            var identStore = new ClientStore(identDatabase);
            await identStore.NameAsync(Legitimate, "Alice", DateTimeOffset.UtcNow);
            await identStore.NameAsync(Attacker, "Mallory", DateTimeOffset.UtcNow);
            var workers = Environment.ProcessorCount;
            using var pool = new PasswordHashingPool(workers, 64 * workers, 8 * workers, 32 * workers);
            var auth = new AuthHandler(authStore, new AuthOptions { RegistrationsPerHour = 100 }, hasher, pool, NullLoggerFactory.Instance);
            var ident = new IdentHandler(identStore, new IdentOptions(), NullLoggerFactory.Instance);
            var options = new TcpServerOptions { Address = IPAddress.Loopback, Port = 0, Backlog = 1024 };
            await using var authServer = new TcpServer(options, auth, NullLoggerFactory.Instance);
            await using var identServer = new TcpServer(new TcpServerOptions { Address = IPAddress.Loopback, Port = 0, Backlog = 1024 }, ident, NullLoggerFactory.Instance);
            authServer.Start();
            identServer.Start();
            var authPort = authServer.EndPoint.Port;
            var identPort = identServer.EndPoint.Port;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{probes} greetings and {probes} sign-ins from {Legitimate} per phase; {flooders} attacking connections at once from {Attacker}; Argon2id {hasher.Settings} on {workers} hashing threads"));
            Console.WriteLine("| phase | ident greeting p50 / p99 | auth sign-in p50 / p99 | not greeted / not signed in | the flood's outcomes |");
            Console.WriteLine("|---|---|---|---|---|");
            await PhaseAsync("no flood", null);
            var registered = 0;
            await PhaseAsync("registration flood", _ => RegisterAsync(authPort, $"throwaway{Interlocked.Increment(ref registered)}"));
            await PhaseAsync("wrong-password flood", _ => WrongPasswordAsync(authPort));
            await PhaseAsync("connect-and-hang-up flood (ident)", _ => HangUpAsync(identPort));

            async Task PhaseAsync(string name, Func<int, Task<string>>? attack)
            {
                using var stop = new CancellationTokenSource();
                var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
                var flood = attack is null
                    ? Task.CompletedTask
                    : Task.WhenAll(Enumerable.Range(0, flooders).Select(i => Task.Run(async () =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            string outcome;
                            try
                            {
                                outcome = await attack(i).WaitAsync(TimeSpan.FromSeconds(30));
                            }
                            catch (Exception e) when (e is IOException or SocketException or TimeoutException)
                            {
                                outcome = e.GetType().Name;
                            }

                            lock (outcomes)
                            {
                                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                            }
                        }
                    })));
                if (attack is not null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1)); // let the flood build up before measuring
                }

                var greetings = new List<double>();
                var signIns = new List<double>();
                int notGreeted = 0, notSignedIn = 0;
                for (var i = 0; i < probes; i++)
                {
                    var (greeted, greeting) = await TimeAsync(() => GreetingAsync(identPort));
                    var (signedIn, signIn) = await TimeAsync(() => SignInAsync(authPort));
                    notGreeted += greeted ? 0 : 1;
                    notSignedIn += signedIn ? 0 : 1;
                    greetings.Add(greeting);
                    signIns.Add(signIn);
                }

                stop.Cancel();
                await flood;
                var c = CultureInfo.InvariantCulture;
                var flooded = string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}"));
                Console.WriteLine(string.Create(c,
                    $"| {name} | {Percentile(greetings, 0.50):0.0} / {Percentile(greetings, 0.99):0.0} ms | {Percentile(signIns, 0.50):0} / {Percentile(signIns, 0.99):0} ms | {notGreeted} / {notSignedIn} of {probes} | {(flooded.Length == 0 ? "-" : flooded)} |"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(bool Ok, double Milliseconds)> TimeAsync(Func<Task<bool>> probe)
    {
        var started = Stopwatch.GetTimestamp();
        var ok = await probe().WaitAsync(TimeSpan.FromSeconds(60));
        return (ok, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    /// <summary>A connection from <paramref name="from"/>, its dialog read up to the hello.</summary>
    private static async Task<(Socket Socket, MessageStream Messages)> ConnectAsync(IPAddress from, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var messages = new MessageStream(new NetworkStream(socket, ownsSocket: false), DialogProtocol.MaxServerMessageBytes);
            await ReceiveAsync(messages); // hello
            return (socket, messages);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<DialogMessage?> ReceiveAsync(MessageStream messages) =>
        await messages.ReceiveMessageAsync() is { } json && DialogCodec.TryParse(json, out var message, out _) ? message : null;

    /// <summary>The next message <paramref name="wanted"/> accepts, skipping the others; null when the server closed.</summary>
    private static async Task<DialogMessage?> UntilAsync(MessageStream messages, Func<DialogMessage, bool> wanted)
    {
        while (await ReceiveAsync(messages) is { } message)
        {
            if (wanted(message))
            {
                return message;
            }
        }

        return null;
    }

    private static Task Answer(MessageStream messages, string id, string text) =>
        messages.SendMessageAsync(DialogCodec.Serialize(DialogMessage.Answer(id, text))).AsTask();

    private static async Task<bool> GreetingAsync(int port)
    {
        var (socket, messages) = await ConnectAsync(Legitimate, port);
        using var _ = socket;
        await using var __ = messages;
        return (await ReceiveAsync(messages))?.Type == DialogTypes.Say;
    }

    private static async Task<bool> SignInAsync(int port)
    {
        var (socket, messages) = await ConnectAsync(Legitimate, port);
        using var _ = socket;
        await using var __ = messages;
        await UntilAsync(messages, m => m.Id == "username");
        await Answer(messages, "username", "owner");
        if ((await ReceiveAsync(messages))?.Id != "password")
        {
            return false;
        }

        await Answer(messages, "password", "owners password");
        return (await ReceiveAsync(messages))?.Type == DialogTypes.Session;
    }

    private static async Task<string> RegisterAsync(int port, string user)
    {
        var (socket, messages) = await ConnectAsync(Attacker, port);
        using var _ = socket;
        await using var __ = messages;
        await UntilAsync(messages, m => m.Id == "username");
        await Answer(messages, "username", user);
        var next = await ReceiveAsync(messages);
        if (next?.Type != DialogTypes.Say)
        {
            return next?.Code ?? "closed";
        }

        await UntilAsync(messages, m => m.Id == "new-password");
        await Answer(messages, "new-password", "throw-away password");
        await UntilAsync(messages, m => m.Id == "confirm-password");
        await Answer(messages, "confirm-password", "throw-away password");
        var outcome = await ReceiveAsync(messages);
        return outcome?.Type == DialogTypes.Session ? "registered" : outcome?.Code ?? "closed";
    }

    private static async Task<string> WrongPasswordAsync(int port)
    {
        var (socket, messages) = await ConnectAsync(Attacker, port);
        using var _ = socket;
        await using var __ = messages;
        await UntilAsync(messages, m => m.Id == "username");
        await Answer(messages, "username", "victim");
        var next = await ReceiveAsync(messages);
        if (next?.Id != "password")
        {
            return next?.Code ?? "closed";
        }

        await Answer(messages, "password", "a wrong guess");
        return (await ReceiveAsync(messages))?.Code ?? "closed";
    }

    private static async Task<string> HangUpAsync(int port)
    {
        var (socket, messages) = await ConnectAsync(Attacker, port);
        await messages.DisposeAsync();
        socket.Dispose();
        return "hung up after the hello";
    }
}
