namespace Parley.Chat;

/// <summary>
/// One client datagram's text, parsed. A text that starts with <c>/</c> is a command (the command word in any
/// case, its argument after spaces); <c>//</c> at the start stands for a text that starts with one <c>/</c>.
/// </summary>
/// <param name="Kind">What is asked for.</param>
/// <param name="Argument">The nickname of <c>/join</c>, <c>/nick</c> and <c>/msg</c>, the token of <c>/ping</c>, the word of an unknown command.</param>
/// <param name="Text">The text for everyone, the text of <c>/msg</c>, or the code of <c>/join NICK CODE</c>.</param>
internal readonly record struct ChatRequest(ChatRequestKind Kind, string Argument = "", string Text = "")
{
    public static ChatRequest Parse(string text)
    {
        if (!text.StartsWith('/'))
        {
            return new ChatRequest(ChatRequestKind.Text, Text: text);
        }

        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            return new ChatRequest(ChatRequestKind.Text, Text: text[1..]);
        }

        // Spaces after a command mean nothing: clients may pad commands to make room for a full answer.
        text = text.TrimEnd(' ');
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var word = space < 0 ? text[1..] : text[1..space];
        var rest = space < 0 ? "" : text[(space + 1)..].Trim(' ');
        return word.ToLowerInvariant() switch
        {
            "join" => ParseJoin(rest),
            "nick" => new ChatRequest(ChatRequestKind.Nick, rest),
            "who" => new ChatRequest(ChatRequestKind.Who),
            "leave" or "quit" => new ChatRequest(ChatRequestKind.Leave),
            "ping" => new ChatRequest(ChatRequestKind.Ping, rest),
            "msg" => ParseMsg(rest),
            _ => new ChatRequest(ChatRequestKind.Unknown, word),
        };
    }

    /// <summary><c>/join NICK</c>, or <c>/join NICK CODE</c> answering the server's challenge (see <see cref="JoinChallenge"/>).</summary>
    private static ChatRequest ParseJoin(string rest)
    {
        var space = rest.LastIndexOf(' ');
        return space > 0 && JoinChallenge.LooksLikeCode(rest[(space + 1)..])
            ? new ChatRequest(ChatRequestKind.Join, rest[..space].TrimEnd(' '), rest[(space + 1)..])
            : new ChatRequest(ChatRequestKind.Join, rest);
    }

    private static ChatRequest ParseMsg(string rest)
    {
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? new ChatRequest(ChatRequestKind.Msg, rest)
            : new ChatRequest(ChatRequestKind.Msg, rest[..space], rest[(space + 1)..].TrimStart(' '));
    }
}
