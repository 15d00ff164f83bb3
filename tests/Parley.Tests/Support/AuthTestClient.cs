using System.Net;
using Parley.Dialog;

namespace Parley.Tests.Support;

/// <summary>The authentication dialog, step by step, for tests.</summary>
internal static class AuthTestClient
{
    public static Task<DialogTestClient> ConnectAsync(LoopbackServer server, IPAddress? from, CancellationToken ct) =>
        DialogTestClient.ConnectAsync(server, from, ct, service: "auth");

    /// <summary>Registers a new user on a fresh connection; returns the client in its conversation, and the session.</summary>
    public static async Task<(DialogTestClient Client, DialogMessage Session)> RegisterAsync(
        LoopbackServer server, IPAddress? from, string user, string password, CancellationToken ct)
    {
        var client = await ConnectAsync(server, from, ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", user, ct);
        Assert.Contains("a new one will be made", (await client.ExpectAsync(DialogTypes.Say, ct)).Text, StringComparison.Ordinal);
        Assert.True((await client.ExpectAsync(DialogTypes.Ask, ct, "new-password")).Secret);
        await client.AnswerAsync("new-password", password, ct);
        Assert.True((await client.ExpectAsync(DialogTypes.Ask, ct, "confirm-password")).Secret);
        await client.AnswerAsync("confirm-password", password, ct);
        var session = await client.ExpectAsync(DialogTypes.Session, ct);
        await client.ExpectAsync(DialogTypes.Say, ct);
        await client.ExpectAsync(DialogTypes.Ready, ct);
        return (client, session);
    }

    /// <summary>Answers the user name and password questions; returns the next message (a session, or an error).</summary>
    public static async Task<DialogMessage> TryLoginAsync(DialogTestClient client, string user, string password, CancellationToken ct)
    {
        await client.ExpectAsync(DialogTypes.Ask, ct, "username");
        await client.AnswerAsync("username", user, ct);
        var ask = await client.ExpectAsync(DialogTypes.Ask, ct, "password");
        Assert.True(ask.Secret);
        await client.AnswerAsync("password", password, ct);
        var reply = await client.ReceiveAsync(ct);
        Assert.NotNull(reply);
        return reply;
    }

    /// <summary>Signs in with a password on a fresh connection; returns the client in its conversation, and the session.</summary>
    public static async Task<(DialogTestClient Client, DialogMessage Session)> LoginAsync(
        LoopbackServer server, IPAddress? from, string user, string password, CancellationToken ct)
    {
        var client = await ConnectAsync(server, from, ct);
        var session = await TryLoginAsync(client, user, password, ct);
        Assert.True(session.Type == DialogTypes.Session, $"expected a session, got {session} \"{session.Text}\"");
        await client.ExpectAsync(DialogTypes.Say, ct);
        await client.ExpectAsync(DialogTypes.Ready, ct);
        return (client, session);
    }

    /// <summary>Sends resume as the first message; returns the message that decides it (a session, or an error).</summary>
    public static async Task<DialogMessage> ResumeAsync(DialogTestClient client, string token, CancellationToken ct)
    {
        await client.SendAsync(DialogMessage.Resume(token), ct);
        await client.ExpectAsync(DialogTypes.Ask, ct, "username"); // asked before the server read the resume
        var reply = await client.ReceiveAsync(ct);
        Assert.NotNull(reply);
        return reply;
    }
}
