namespace Parley.Dialog;

/// <summary>How a <see cref="DialogClient"/> talks to its server.</summary>
public sealed class DialogClientOptions
{
    /// <summary>The service expected in the server's <c>hello</c>: <c>ident</c> or <c>auth</c>.</summary>
    public required string Service { get; init; }

    /// <summary>A session token to send as <c>resume</c> (authentication). Default none. A secret: never logged.</summary>
    public string? ResumeToken { get; init; }

    /// <summary>
    /// Chooses the session token to resume with once the server's <c>hello</c> has come (its <c>serviceId</c> names the
    /// service whatever server answers); when set, it replaces <see cref="ResumeToken"/>. Default none.
    /// </summary>
    public Func<DialogMessage, string?>? ResumeTokenFor { get; init; }

    /// <summary>Called with each <c>session</c> message, to keep its token.</summary>
    public Func<DialogMessage, ValueTask>? OnSession { get; init; }

    /// <summary>Called when the server refuses the resumed token (<c>session-invalid</c>), to forget it.</summary>
    public Func<ValueTask>? OnSessionInvalid { get; init; }

    /// <summary>How long to wait for the server's <c>hello</c>. Default 10 seconds.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
