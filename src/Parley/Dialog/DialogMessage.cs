namespace Parley.Dialog;

/// <summary>
/// One message of the dialog protocol (docs/protocol.md, "Dialog protocol"): a JSON object with a <c>type</c> and the
/// fields that type uses. One flat shape for every type keeps parsing lenient: fields a type does not use are simply
/// absent (<see langword="null"/>), and unknown fields are ignored.
/// </summary>
public sealed class DialogMessage
{
    /// <summary>What the message is: one of <see cref="DialogTypes"/>.</summary>
    public string? Type { get; init; }

    /// <summary><c>hello</c>: the service, <c>ident</c> or <c>auth</c>.</summary>
    public string? Service { get; init; }

    /// <summary><c>hello</c>: the protocol version, 1.</summary>
    public int? Version { get; init; }

    /// <summary>
    /// <c>hello</c>: the id of the service, the same on every server of one database (issue 17), so that a client can
    /// tell they are one service and offer a session from one to another. Absent from servers older than it.
    /// </summary>
    public string? ServiceId { get; init; }

    /// <summary><c>ask</c> and <c>answer</c>: which question.</summary>
    public string? Id { get; init; }

    /// <summary><c>error</c>: the stable machine-readable code, one of <see cref="DialogErrorCodes"/>.</summary>
    public string? Code { get; init; }

    /// <summary>Text for the user (<c>say</c>, <c>ask</c>, <c>echo</c>, <c>error</c>, <c>bye</c>, <c>ready</c>), an answer, or a conversation message.</summary>
    public string? Text { get; init; }

    /// <summary><c>ask</c>: the answer is a secret, not to be shown while typed.</summary>
    public bool? Secret { get; init; }

    /// <summary><c>ask</c>: the answer proposed when the user gives none.</summary>
    public string? Default { get; init; }

    /// <summary><c>error</c> with code <c>throttled</c>: seconds to wait before trying again.</summary>
    public int? RetryAfter { get; init; }

    /// <summary><c>session</c> and <c>resume</c>: the session token. A secret: never logged.</summary>
    public string? Token { get; init; }

    /// <summary><c>session</c>: the signed-in user.</summary>
    public string? User { get; init; }

    /// <summary><c>session</c>: when the session expires if it is not used, ISO 8601 in UTC.</summary>
    public string? Expires { get; init; }

    /// <summary>The <c>hello</c> a server sends first, with the id of the service its database holds, when it has one.</summary>
    internal static DialogMessage Hello(string service, string? serviceId = null) =>
        new() { Type = DialogTypes.Hello, Service = service, Version = DialogProtocol.Version, ServiceId = serviceId is { Length: > 0 } ? serviceId : null };

    /// <summary>Text for the user.</summary>
    internal static DialogMessage Say(string text) => new() { Type = DialogTypes.Say, Text = text };

    /// <summary>A question; <paramref name="secret"/> answers are not shown while typed.</summary>
    internal static DialogMessage Ask(string id, string text, bool secret = false, string? defaultAnswer = null) =>
        new() { Type = DialogTypes.Ask, Id = id, Text = text, Secret = secret, Default = defaultAnswer };

    /// <summary>The reply to a conversation message.</summary>
    internal static DialogMessage Echo(string text) => new() { Type = DialogTypes.Echo, Text = text };

    /// <summary>An error with a stable code.</summary>
    internal static DialogMessage Error(string code, string text, int? retryAfter = null) =>
        new() { Type = DialogTypes.Error, Code = code, Text = text, RetryAfter = retryAfter };

    /// <summary>The last message before the server closes the connection.</summary>
    internal static DialogMessage Bye(string text) => new() { Type = DialogTypes.Bye, Text = text };

    /// <summary>The conversation begins: the client may now send <c>message</c>s.</summary>
    internal static DialogMessage Ready(string text) => new() { Type = DialogTypes.Ready, Text = text };

    /// <summary>A new session token (authentication).</summary>
    internal static DialogMessage Session(string token, string user, DateTimeOffset expires) => new()
    {
        Type = DialogTypes.Session,
        Token = token,
        User = user,
        Expires = DialogProtocol.FormatTime(expires),
    };

    /// <summary>The client's answer to the question <paramref name="id"/>.</summary>
    internal static DialogMessage Answer(string id, string text) => new() { Type = DialogTypes.Answer, Id = id, Text = text };

    /// <summary>A conversation message from the client.</summary>
    internal static DialogMessage Message(string text) => new() { Type = DialogTypes.Message, Text = text };

    /// <summary>The client's first message when it holds a session token (authentication).</summary>
    internal static DialogMessage Resume(string token) => new() { Type = DialogTypes.Resume, Token = token };

    /// <summary>Ends the session: the server revokes the token and says bye (authentication).</summary>
    internal static DialogMessage Logout() => new() { Type = DialogTypes.Logout };

    /// <summary>
    /// The type and, where there is one, the question id and error code: never the text or token, which may be
    /// secrets (a password typed as an answer, a session token).
    /// </summary>
    public override string ToString() =>
        Type + (Id is null ? "" : $" '{Id}'") + (Code is null ? "" : $" ({Code})");

    /// <summary>Whether <see cref="Type"/> is <paramref name="type"/>.</summary>
    internal bool Is(string type) => string.Equals(Type, type, StringComparison.Ordinal);
}
