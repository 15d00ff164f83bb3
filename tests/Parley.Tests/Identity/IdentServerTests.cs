using System.Net;
using Microsoft.Data.Sqlite;
using Parley.Dialog;
using Parley.Identity;
using Parley.Storage;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Identity;

public sealed class IdentServerTests : IDisposable
{
    private readonly TempDatabase _file = new();
    private readonly ParleyDatabase _database;

    public IdentServerTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    private static IPAddress Client(int n) => IPAddress.Parse($"127.0.0.{n}");

    private LoopbackServer StartIdent(ParleyDatabase? database = null, Action<TcpServerOptions>? configure = null) =>
        LoopbackServer.Start(logs => new IdentHandler(new ClientStore(database ?? _database), new IdentOptions(), logs), configure);

    private static async Task<DialogTestClient> NameAsync(LoopbackServer server, IPAddress from, string name, CancellationToken ct)
    {
        var client = await DialogTestClient.ConnectAsync(server, from, ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "name");
        await client.AnswerAsync("name", name, ct);
        await client.ExpectAsync(DialogTypes.Say, ct);
        await client.ExpectAsync(DialogTypes.Ready, ct);
        return client;
    }

    [Fact]
    public async Task A_new_address_is_asked_its_name_stored_and_greeted_by_name_on_its_next_connection()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();

        await using (var first = await DialogTestClient.ConnectAsync(server, Client(2), ct))
        {
            var ask = await first.ExpectAsync(DialogTypes.Ask, ct, "name");
            Assert.Equal("What is your name?", ask.Text);
            Assert.False(ask.Secret);
            await first.AnswerAsync("name", "  Alice ", ct);
            var confirmed = await first.ExpectAsync(DialogTypes.Say, ct);
            Assert.Contains("Alice", confirmed.Text, StringComparison.Ordinal);
            await first.ExpectAsync(DialogTypes.Ready, ct);
            await first.SayAsync("hi", ct);
            Assert.Equal("hi", (await first.ExpectAsync(DialogTypes.Echo, ct)).Text);
            await first.SayAsync("exit", ct);
            Assert.Contains("Goodbye, Alice", (await first.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
            Assert.Null(await first.ReceiveAsync(ct));
        }

        await using var second = await DialogTestClient.ConnectAsync(server, Client(2), ct);
        var greeting = await second.ExpectAsync(DialogTypes.Say, ct);

        Assert.StartsWith("Welcome back, Alice!", greeting.Text, StringComparison.Ordinal);
        Assert.Contains("visit number 2", greeting.Text, StringComparison.Ordinal);
        Assert.Contains("last seen", greeting.Text, StringComparison.Ordinal);
        await second.ExpectAsync(DialogTypes.Ready, ct);
        var stored = await new ClientStore(_database).FindAsync(Client(2));
        Assert.Equal(("Alice", 2L), (stored!.Name, stored.Visits));
        Assert.True(server.Logs.Has("Named"));
        Assert.True(server.Logs.Has("Recognised", r => r.Message.Contains("Alice", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Each_address_is_its_own_client()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var alice = await NameAsync(server, Client(2), "Alice", ct);

        await using var other = await DialogTestClient.ConnectAsync(server, Client(3), ct);

        await other.ExpectAsync(DialogTypes.Ask, ct, "name");
    }

    [Fact]
    public async Task A_known_client_is_greeted_by_name_after_the_server_restarts_on_the_same_database()
    {
        var ct = TestTimeout.Token();
        await using (var server = StartIdent())
        {
            await using var client = await NameAsync(server, Client(4), "Bob", ct);
        }

        _database.Dispose();
        using var reopened = ParleyDatabase.Open(_file.Path);
        await using var restarted = StartIdent(reopened);

        await using var again = await DialogTestClient.ConnectAsync(restarted, Client(4), ct);

        Assert.StartsWith("Welcome back, Bob!", (await again.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the name is empty")]
    [InlineData("   \t ", "the name is empty")]
    [InlineData("Al\u0007ice", "control character")]
    [InlineData("two\nlines", "control character")]
    [InlineData("evil\u202Eeman", "control character")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "65 characters long; the most is 64")]
    public async Task An_invalid_name_is_refused_with_the_reason_and_asked_again(string name, string reason)
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await DialogTestClient.ConnectAsync(server, Client(5), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "name");

        await client.AnswerAsync("name", name, ct);

        var error = await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.InvalidName);
        Assert.Contains(reason, error.Text, StringComparison.OrdinalIgnoreCase);
        await client.ExpectAsync(DialogTypes.Ask, ct, "name");
        await client.AnswerAsync("name", "Carol", ct);
        Assert.Contains("Carol", (await client.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
        Assert.True(server.Logs.Has("NameRejected"));
    }

    [Fact]
    public async Task A_name_of_64_characters_is_accepted()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var name = string.Concat(Enumerable.Repeat("Ж", 64));

        await using var client = await NameAsync(server, Client(6), name, ct);

        Assert.Equal(name, (await new ClientStore(_database).FindAsync(Client(6)))!.Name);
    }

    [Fact]
    public async Task Three_invalid_names_end_the_connection_with_bye_and_store_nothing()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await DialogTestClient.ConnectAsync(server, Client(7), ct);

        for (var i = 0; i < 3; i++)
        {
            await client.ExpectAsync(DialogTypes.Ask, ct, "name");
            await client.AnswerAsync("name", "", ct);
            await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.InvalidName);
        }

        Assert.Contains("3 tries", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        Assert.Null(await client.ReceiveAsync(ct));
        Assert.Null(await new ClientStore(_database).FindAsync(Client(7)));
    }

    public static TheoryData<string, string> BadMessagesAtTheQuestion => new()
    {
        { "not json at all", "not a JSON object" },
        { "[1, 2, 3]", "not a JSON object" },
        { "null", "not a JSON object" },
        { "{\"type\": \"answer\", \"id\": \"name\", \"text\": \"unterminated", "not valid JSON" },
        { "{}", "no type" },
        { "{\"text\": \"Alice\"}", "no type" },
        { "{\"type\": 5}", "not valid JSON" },
        { "{\"type\": \"dance\"}", "unknown message type 'dance'" },
        { "{\"type\": \"resume\", \"token\": \"abc\"}", "unknown message type 'resume'" },
        { "{\"type\": \"answer\", \"id\": \"colour\", \"text\": \"red\"}", "the question asked is 'name'" },
        { "{\"type\": \"answer\", \"id\": \"name\"}", "an answer needs a text" },
        { "{\"type\": \"message\", \"text\": \"hi\"}", "waiting for its answer" },
    };

    [Theory]
    [MemberData(nameof(BadMessagesAtTheQuestion))]
    public async Task A_bad_message_at_the_question_gets_bad_message_and_the_question_stays_open(string json, string problem)
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await DialogTestClient.ConnectAsync(server, Client(8), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "name");

        await client.SendRawAsync(json, ct);

        var error = await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
        Assert.Contains(problem, error.Text, StringComparison.OrdinalIgnoreCase);
        await client.SendRawAsync("{\"type\":\"answer\",\"text\":\"Dave\",\"mood\":\"unknown fields are ignored\"}", ct);
        Assert.Contains("Dave", (await client.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\": \"answer\", \"id\": \"name\", \"text\": \"Eve\"}", "no question was asked")]
    [InlineData("{\"type\": \"message\"}", "a message needs a text")]
    [InlineData("{\"type\": \"hello\", \"service\": \"ident\"}", "unknown message type 'hello'")]
    public async Task A_bad_message_in_the_conversation_gets_bad_message_and_the_conversation_goes_on(string json, string problem)
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await NameAsync(server, Client(9), "Frank", ct);

        await client.SendRawAsync(json, ct);

        Assert.Contains(problem, (await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage)).Text, StringComparison.OrdinalIgnoreCase);
        await client.SayAsync("still here", ct);
        Assert.Equal("still here", (await client.ExpectAsync(DialogTypes.Echo, ct)).Text);
    }

    [Fact]
    public async Task Three_bad_messages_in_a_row_end_the_connection_with_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await NameAsync(server, Client(10), "Grace", ct);

        await client.SendRawAsync("{", ct);
        await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
        await client.SendRawAsync("{}", ct);
        await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
        await client.SayAsync("a good one resets the count", ct);
        await client.ExpectAsync(DialogTypes.Echo, ct);
        for (var i = 0; i < 2; i++)
        {
            await client.SendRawAsync("{\"type\":\"nonsense\"}", ct);
            await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
        }

        await client.SendRawAsync("{\"type\":\"nonsense\"}", ct);

        await client.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.BadMessage);
        Assert.Contains("3 bad messages in a row", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        Assert.Null(await client.ReceiveAsync(ct));
        Assert.True(server.Logs.Has("TooManyBadMessages"));
        await Poll.UntilAsync(() => server.Logs.Has("ClientDisconnected", r => r.Message.Contains("protocol error", StringComparison.Ordinal)), "the disconnect log");
    }

    [Fact]
    public async Task A_message_over_64_KiB_breaks_the_framing_and_ends_the_connection_with_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await NameAsync(server, Client(11), "Heidi", ct);

        await client.SayAsync(new string('x', 70_000), ct);

        Assert.Contains("message too large", (await client.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        Assert.Null(await client.ReceiveAsync(ct));
    }

    [Fact]
    public async Task Fifty_new_addresses_at_once_are_all_stored_and_none_sees_an_error()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        await using var server = StartIdent();

        var clients = Enumerable.Range(0, 50).Select(async i =>
        {
            await using var client = await DialogTestClient.ConnectAsync(server, IPAddress.Parse($"127.0.1.{i + 1}"), ct);
            await client.ExpectAsync(DialogTypes.Ask, ct, "name");
            await client.AnswerAsync("name", $"client {i}", ct);
            await client.ExpectAsync(DialogTypes.Say, ct);
            await client.ExpectAsync(DialogTypes.Ready, ct);
            await client.SayAsync("exit", ct);
            var rest = await client.ReadToEndAsync(ct);
            Assert.Equal([DialogTypes.Bye], rest.Select(m => m.Type));
        });
        await Task.WhenAll(clients);

        var stored = await new ClientStore(_database).ListAsync();
        Assert.Equal(50, stored.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"client {i}").Order(), stored.Select(c => c.Name).Order());
        Assert.False(server.Logs.Has("StoreFailed"));
    }

    [Fact]
    public async Task Fifty_visits_of_one_known_client_at_once_are_all_counted()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(60));
        await using var server = StartIdent();
        await using (await NameAsync(server, Client(12), "Ivan", ct))
        {
        }

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await using var client = await DialogTestClient.ConnectAsync(server, Client(12), ct);
            await client.ExpectAsync(DialogTypes.Say, ct);
        }));

        Assert.Equal(51, (await new ClientStore(_database).FindAsync(Client(12)))!.Visits);
    }

    [Fact]
    public async Task A_client_that_disconnects_at_the_question_leaves_nothing_stored_and_is_asked_again()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using (var leaver = await DialogTestClient.ConnectAsync(server, Client(13), ct))
        {
            await leaver.ExpectAsync(DialogTypes.Ask, ct, "name");
        }

        await Poll.UntilAsync(() => server.Server.ConnectionCount == 0, "the leaver's connection to close");

        Assert.Empty(await new ClientStore(_database).ListAsync());
        await using var again = await DialogTestClient.ConnectAsync(server, Client(13), ct);
        await again.ExpectAsync(DialogTypes.Ask, ct, "name");
    }

    [Fact]
    public async Task Two_first_visits_from_one_address_at_once_store_one_name_and_both_are_greeted()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var one = await DialogTestClient.ConnectAsync(server, Client(14), ct);
        await using var two = await DialogTestClient.ConnectAsync(server, Client(14), ct);
        await one.ExpectAsync(DialogTypes.Ask, ct, "name");
        await two.ExpectAsync(DialogTypes.Ask, ct, "name");

        await Task.WhenAll(one.AnswerAsync("name", "Judy", ct), two.AnswerAsync("name", "Mallory", ct));

        var greetings = await Task.WhenAll(one.ExpectAsync(DialogTypes.Say, ct), two.ExpectAsync(DialogTypes.Say, ct));
        var stored = await new ClientStore(_database).FindAsync(Client(14));
        Assert.NotNull(stored);
        Assert.Contains(stored.Name, new[] { "Judy", "Mallory" });
        Assert.Equal(2, stored.Visits);
        Assert.All(greetings, g => Assert.Contains(stored.Name, g.Text, StringComparison.Ordinal));
        Assert.Single(await new ClientStore(_database).ListAsync());
    }

    [Fact]
    public async Task Stop_from_a_loopback_client_says_bye_and_stops_the_server()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var bystander = await NameAsync(server, Client(15), "Ken", ct);
        await using var stopper = await NameAsync(server, Client(16), "Liz", ct);

        await stopper.SayAsync("STOP", ct);

        Assert.Contains("Stopping the server", (await stopper.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        await server.Server.Completion.WaitAsync(ct);
        Assert.Contains("server is stopping", (await bystander.ExpectAsync(DialogTypes.Bye, ct)).Text, StringComparison.Ordinal);
        Assert.Null(await bystander.ReceiveAsync(ct));
    }

    [Fact]
    public async Task Stop_from_a_client_that_may_not_stop_the_server_is_echoed()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent(configure: o => o.StopPolicy = StopPolicy.None);
        await using var client = await NameAsync(server, Client(17), "Mike", ct);

        await client.SayAsync("stop", ct);

        Assert.Equal("stop", (await client.ExpectAsync(DialogTypes.Echo, ct)).Text);
        Assert.False(server.Server.Completion.IsCompleted);
        Assert.True(server.Logs.Has("StopRefused"));
    }

    [Fact]
    public async Task A_client_that_half_closes_in_the_conversation_gets_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using var client = await NameAsync(server, Client(18), "Nina", ct);
        await client.SayAsync("last words", ct);

        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        var rest = await client.ReadToEndAsync(ct);
        Assert.Equal([DialogTypes.Echo, DialogTypes.Bye], rest.Select(m => m.Type));
    }

    [Fact]
    public async Task A_failing_store_gets_server_error_and_the_server_keeps_serving()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        await using (var named = await NameAsync(server, Client(19), "Olga", ct))
        {
        }

        using (var sabotage = new SqliteConnection($"Data Source={_file.Path}"))
        {
            sabotage.Open();
            using var command = sabotage.CreateCommand();
            command.CommandText = "ALTER TABLE ident_clients RENAME TO moved_away";
            command.ExecuteNonQuery();
        }

        await using (var unlucky = await DialogTestClient.ConnectAsync(server, Client(19), ct))
        {
            var error = await unlucky.ExpectAsync(DialogTypes.Error, ct, DialogErrorCodes.ServerError);
            Assert.DoesNotContain("SQLite", error.Text, StringComparison.OrdinalIgnoreCase);
            await unlucky.ExpectAsync(DialogTypes.Bye, ct);
        }

        Assert.True(server.Logs.Has("StoreFailed"));
        using (var repair = new SqliteConnection($"Data Source={_file.Path}"))
        {
            repair.Open();
            using var command = repair.CreateCommand();
            command.CommandText = "ALTER TABLE moved_away RENAME TO ident_clients";
            command.ExecuteNonQuery();
        }

        await using var lucky = await DialogTestClient.ConnectAsync(server, Client(19), ct);
        Assert.StartsWith("Welcome back, Olga", (await lucky.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
    }
}
