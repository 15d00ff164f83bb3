namespace Parley.Dialog;

/// <summary>The stable, machine-readable codes of <c>error</c> messages.</summary>
internal static class DialogErrorCodes
{
    /// <summary>Not JSON, no or an unknown <c>type</c>, or a message that does not fit the moment. Three in a row end the connection.</summary>
    public const string BadMessage = "bad-message";

    /// <summary>The name (identification) or user name (authentication) breaks the rules; the text says why.</summary>
    public const string InvalidName = "invalid-name";

    /// <summary>The server could not complete the request (for example its database failed); try again later.</summary>
    public const string ServerError = "server-error";

    /// <summary>The session token is unknown, expired or revoked.</summary>
    public const string SessionInvalid = "session-invalid";

    /// <summary>Wrong user name or password; always the same text.</summary>
    public const string LoginFailed = "login-failed";

    /// <summary>The new password breaks the policy; the text says why.</summary>
    public const string WeakPassword = "weak-password";

    /// <summary>Too many failed sign-ins; the <c>retryAfter</c> field says how many seconds to wait.</summary>
    public const string Throttled = "throttled";

    /// <summary>The server has too many sign-ins in progress; try again shortly.</summary>
    public const string Busy = "busy";

    /// <summary>The server cannot reach its database (issue 17); the connection closes; try again later.</summary>
    public const string Unavailable = "unavailable";
}
