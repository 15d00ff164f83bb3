using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Dialog;
using Parley.Echo;
using Parley.Identity;
using Parley.Storage;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Dialog;

public sealed class DialogClientTests : IDisposable
{
    private readonly TempDatabase _file = new();
    private readonly ParleyDatabase _database;

    public DialogClientTests()
    {
        _database = _file.Open();
    }

    public void Dispose()
    {
        _database.Dispose();
        _file.Dispose();
    }

    private LoopbackServer StartIdent(Action<TcpServerOptions>? configure = null) =>
        LoopbackServer.Start(logs => new IdentHandler(new ClientStore(_database), new IdentOptions(), logs), configure);

    private static async Task<DialogClientResult> RunAsync(
        LoopbackServer server, ScriptedDialogUser user, CancellationToken ct, string service = "ident", TimeSpan? helloTimeout = null)
    {
        await using var connection = await TcpConnector.ConnectAsync("127.0.0.1", server.Port, cancellationToken: ct);
        return await DialogClient.RunAsync(connection, user,
            new DialogClientOptions { Service = service, HelloTimeout = helloTimeout ?? TimeSpan.FromSeconds(10) },
            NullLogger.Instance, ct);
    }

    [Fact]
    public async Task A_new_client_answers_the_question_then_its_lines_are_echoed_until_exit()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser(["Alice"], ["hi", "exit", "never sent"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.Exited, result.Outcome);
        Assert.Equal("What is your name?", Assert.Single(user.Asked).Text);
        Assert.Equal([DialogTypes.Say, DialogTypes.Ready, DialogTypes.Echo, DialogTypes.Bye], user.ShownTypes);
        Assert.Equal("hi", user.Shown.Single(m => m.Type == DialogTypes.Echo).Text);
        Assert.Equal("Alice", (await new ClientStore(_database).FindAsync(IPAddress.Loopback))!.Name);
    }

    [Fact]
    public async Task Stop_from_a_local_client_stops_the_server()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser(["Carol"], ["stop"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.Stopped, result.Outcome);
    }

    [Fact]
    public async Task A_stop_the_server_echoes_back_is_told_as_refused()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent(o => o.StopPolicy = StopPolicy.None);
        var user = new ScriptedDialogUser(["Dave"], ["stop"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.StopRefused, result.Outcome);
        Assert.Equal("stop", user.Shown.Single(m => m.Type == DialogTypes.Echo).Text);
        Assert.StartsWith("stop came back as data", DialogClient.Describe(result.Outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_end_of_input_in_the_conversation_ends_it_once_every_echo_has_arrived()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser(["Bob"], ["one", "two", "three"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.InputEnded, result.Outcome);
        Assert.Equal(["one", "two", "three"], user.Shown.Where(m => m.Type == DialogTypes.Echo).Select(m => m.Text));
    }

    [Fact]
    public async Task The_end_of_input_at_a_question_abandons_the_conversation_and_stores_nothing()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser([null], []);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.AbandonedAtQuestion, result.Outcome);
        Assert.Empty(await new ClientStore(_database).ListAsync());
    }

    [Fact]
    public async Task Three_invalid_names_get_the_client_dismissed_with_the_servers_bye()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser(["", " ", "\t"], ["hi"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.Dismissed, result.Outcome);
        Assert.Contains("No valid name in 3 tries", result.Bye, StringComparison.Ordinal);
        Assert.Equal(DialogErrorCodes.InvalidName, result.LastError?.Code);
    }

    [Fact]
    public async Task A_server_of_another_service_is_named_in_the_error()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();

        var error = await Assert.ThrowsAsync<DialogClientException>(() => RunAsync(server, new ScriptedDialogUser([], []), ct, service: "auth"));

        Assert.Contains("is a Parley 'ident' server, not 'auth': use parley client ident", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_says_hello_is_a_clear_error()
    {
        var ct = TestTimeout.Token();
        await using var echo = LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs));

        var error = await Assert.ThrowsAsync<DialogClientException>(() =>
            RunAsync(echo, new ScriptedDialogUser([], []), ct, helloTimeout: TimeSpan.FromMilliseconds(200)));

        Assert.Contains("no hello from 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("is it a Parley ident server?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_too_long_for_the_server_is_not_sent_and_the_conversation_goes_on()
    {
        var ct = TestTimeout.Token();
        await using var server = StartIdent();
        var user = new ScriptedDialogUser(["Carol"], [new string('x', 70_000), "short", "exit"]);

        var result = await RunAsync(server, user, ct);

        Assert.Equal(DialogClientOutcome.Exited, result.Outcome);
        Assert.Contains(user.Shown, m => m.Code == "line-too-long");
        Assert.Equal("short", user.Shown.Single(m => m.Type == DialogTypes.Echo).Text);
    }
}
