namespace Parley.Dialog;

/// <summary>The values of a dialog message's <c>type</c> field.</summary>
internal static class DialogTypes
{
    /// <summary>Server to client, always first: which service and protocol version.</summary>
    public const string Hello = "hello";

    /// <summary>Server to client: text for the user.</summary>
    public const string Say = "say";

    /// <summary>Server to client: a question the client answers with <see cref="Answer"/>.</summary>
    public const string Ask = "ask";

    /// <summary>Server to client: the conversation begins; the client may send <see cref="Message"/>s.</summary>
    public const string Ready = "ready";

    /// <summary>Server to client: the reply to a <see cref="Message"/>.</summary>
    public const string Echo = "echo";

    /// <summary>Server to client: something was wrong, with a stable code (<see cref="DialogErrorCodes"/>).</summary>
    public const string Error = "error";

    /// <summary>Server to client: the last message before the server closes the connection.</summary>
    public const string Bye = "bye";

    /// <summary>Server to client (authentication): a new session token.</summary>
    public const string Session = "session";

    /// <summary>Client to server: the answer to the pending question.</summary>
    public const string Answer = "answer";

    /// <summary>Client to server: conversation text; <c>exit</c> and <c>stop</c> are commands.</summary>
    public const string Message = "message";

    /// <summary>Client to server (authentication), only as the first message: sign in with a session token.</summary>
    public const string Resume = "resume";

    /// <summary>Client to server (authentication): end the session.</summary>
    public const string Logout = "logout";
}
