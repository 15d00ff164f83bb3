namespace Parley.Dialog;

/// <summary>The end of a dialog client's conversation.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Bye">The server's <c>bye</c> text, if one came.</param>
/// <param name="LastError">The last <c>error</c> the server sent, if any.</param>
public sealed record DialogClientResult(DialogClientOutcome Outcome, string? Bye, DialogMessage? LastError);
