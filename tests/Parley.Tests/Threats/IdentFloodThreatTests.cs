using System.Net;
using Parley.Dialog;
using Parley.Identity;
using Parley.Storage;
using Parley.Tests.Support;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16, "2,500 connections a second from one address to serve ident, each hanging up after the hello": the
/// server kept writing a visit for every connection, long gone, queued behind one lock, and a client from another
/// address waited up to 9.7 s. Now a client gone before its greeting costs no durable write, and writes waiting for
/// the database are bounded (past the bound: busy).
/// </summary>
public sealed class IdentFloodThreatTests : IDisposable
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Bystander = IPAddress.Parse("127.0.0.3");
    private readonly TempDatabase _file = new();
    private readonly ParleyDatabase _database;

    public IdentFloodThreatTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    private LoopbackServer StartIdent() =>
        LoopbackServer.Start(logs => new IdentHandler(new ClientStore(_database), new IdentOptions(), logs));

    private Task<long> VisitsAsync(IPAddress address) =>
        _database.ReadAsync(connection => Sql.Scalar(connection, null, "SELECT visits FROM ident_clients WHERE address = $a", ("$a", address.ToString())));

    /// <summary>Holds the database's one writer until the returned gate is set.</summary>
    private async Task<(ManualResetEventSlim Gate, Task Held)> HoldTheWriterAsync()
    {
        var gate = new ManualResetEventSlim();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Task.Run(() => _database.WriteAsync((_, _) =>
        {
            holding.SetResult();
            return gate.Wait(TestTimeout.Default);
        }));
        await holding.Task.WaitAsync(TestTimeout.Default);
        return (gate, held);
    }

    [Fact]
    public async Task Connections_that_hang_up_after_the_hello_leave_no_visit_written()
    {
        var ct = TestTimeout.Token();
        await new ClientStore(_database).NameAsync(Flooder, "Mallory", DateTimeOffset.UtcNow, ct);
        await using var server = StartIdent();
        var (gate, held) = await HoldTheWriterAsync();

        // Fifty connections from a known address read the hello and hang up while their visits wait for the writer.
        for (var i = 0; i < 50; i++)
        {
            await using var client = await DialogTestClient.ConnectAsync(server, Flooder, ct);
        }

        await Poll.UntilAsync(() => _database.WaitingWrites == 50, "fifty visits waiting for the writer");
        gate.Set();
        await held;
        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "every connection closed");

        Assert.Equal(1, await VisitsAsync(Flooder));
        Assert.Equal(50, server.Logs.Events("LeftBeforeGreeting").Count);
        gate.Dispose();
    }

    [Fact]
    public async Task Past_the_bound_of_waiting_writes_or_an_addresss_share_of_it_a_client_gets_busy_and_the_waiting_ones_are_greeted()
    {
        var ct = TestTimeout.Token();
        var store = new ClientStore(_database);
        var addresses = Enumerable.Range(3, 5).Select(n => IPAddress.Parse($"127.0.0.{n}")).ToList();
        foreach (var address in addresses)
        {
            await store.NameAsync(address, "Alice", DateTimeOffset.UtcNow, ct);
        }

        _database.MaxWaitingWrites = 4; // one per address
        await using var server = StartIdent();
        var (gate, held) = await HoldTheWriterAsync();
        var waiting = new List<DialogTestClient>();
        foreach (var address in addresses[..4])
        {
            waiting.Add(await DialogTestClient.ConnectAsync(server, address, ct));
            var count = waiting.Count;
            await Poll.UntilAsync(() => _database.WaitingWrites == count, $"{count} visits waiting");
        }

        await using var pastTheBound = await DialogTestClient.ConnectAsync(server, addresses[4], ct);
        var busy = await pastTheBound.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Busy);
        await pastTheBound.ExpectAsync(DialogTypes.Bye, ct);
        gate.Set();
        await held;
        var greetings = await Task.WhenAll(waiting.Select(async c => (await c.ExpectAsync(DialogTypes.Say, ct)).Text!));
        var (again, heldAgain) = await HoldTheWriterAsync();
        await using var first = await DialogTestClient.ConnectAsync(server, addresses[0], ct);
        await Poll.UntilAsync(() => _database.WaitingWrites == 1, "a visit waiting");
        await using var pastTheShare = await DialogTestClient.ConnectAsync(server, addresses[0], ct);
        await pastTheShare.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.Busy);
        again.Set();
        await heldAgain;

        Assert.Contains("busy", busy.Text, StringComparison.Ordinal);
        Assert.All(greetings, g => Assert.StartsWith("Welcome back, Alice!", g, StringComparison.Ordinal));
        Assert.StartsWith("Welcome back, Alice!", (await first.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
        Assert.InRange(server.Logs.Events("Busy").Count, 1, 2); // at most once a second, not once per refusal
        foreach (var client in waiting)
        {
            await client.DisposeAsync();
        }

        gate.Dispose();
        again.Dispose();
    }

    [Fact]
    public async Task A_flood_of_connections_hanging_up_after_the_hello_leaves_a_client_from_another_address_greeted()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        var store = new ClientStore(_database);
        await store.NameAsync(Flooder, "Mallory", DateTimeOffset.UtcNow, ct);
        await store.NameAsync(Bystander, "Alice", DateTimeOffset.UtcNow, ct);
        _database.MaxWaitingWrites = 64;
        await using var server = StartIdent();
        using var stop = new CancellationTokenSource();

        // Eight at a time, each reading the hello and hanging up, until the bystander has had its five greetings.
        var flood = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested && count++ < 250)
            {
                await using var client = await DialogTestClient.ConnectAsync(server, Flooder, ct);
            }
        }, ct)));
        await Poll.UntilAsync(() => server.Logs.Events("LeftBeforeGreeting").Count + server.Logs.Events("Recognised").Count > 20, "the flood under way");
        var greetings = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await using var client = await DialogTestClient.ConnectAsync(server, Bystander, ct);
            greetings.Add((await client.ReceiveAsync(ct))!.Text!);
        }

        stop.Cancel();
        await flood;

        Assert.All(greetings, g => Assert.StartsWith("Welcome back, Alice!", g, StringComparison.Ordinal));
        Assert.Equal(6, await VisitsAsync(Bystander));
    }
}
