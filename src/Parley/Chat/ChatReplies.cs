using System.Globalization;
using System.Text;

namespace Parley.Chat;

/// <summary>
/// Every line the chat server sends (docs/protocol.md, "Chat"). Errors and confirmations come in several
/// wordings, most helpful first, down to a few bytes: the server sends the longest one that fits in three times the
/// datagram that caused it (<see cref="Fit"/>), so that a forged source address can never make it send much more than
/// it received, and an invalid request is answered however short it is.
/// </summary>
internal static class ChatReplies
{
    public const string ServerStopping = "* server stopping";

    public const string RelayLost = "* relay lost: only members on this server hear you now";

    public const string RelayBack = "* relay back";

    public static readonly string[] RelayUnavailable = ["! the chat relay is unavailable, try again", "! relay unavailable", "! try again"];

    public static readonly string[] JoinFirst = ["! join first with /join NICK", "! join first", "! /join"];

    public static readonly string[] Left = ["* you left the chat", "* you left", "* bye"];

    public static string Public(string nickname, string text) => $"<{nickname}> {text}";

    public static string Private(string from, string text) => $"[{from} -> you] {text}";

    public static string Joined(string nickname) => $"* {nickname} joined";

    public static string LeftNotice(string nickname) => $"* {nickname} left";

    public static string TimedOut(string nickname) => $"* {nickname} timed out";

    public static string Renamed(string from, string to) => $"* {from} is now known as {to}";

    public static string Welcome(string nickname, int members, int history) =>
        $"* you joined as {nickname} ({Count(members, "member")})"
        + history switch
        {
            0 => "",
            1 => "; the last message follows",
            _ => string.Create(CultureInfo.InvariantCulture, $"; the last {history} messages follow"),
        };

    /// <summary>The answer to a <c>/join</c> from an address not yet proven: send this line back, without the <c>? </c>.</summary>
    public static string Challenge(string nickname, string code) => $"? /join {nickname} {code}";

    public static string[] TooManyFromAddress(int max) =>
        [$"! too many members from your address: {max} at most", "! too many from your address", "! too many"];

    public static string Pong(string token) => token.Length == 0 ? "/pong" : $"/pong {token}";

    /// <summary>The <c>/who</c> answer: <c>* members (3): alice, bob, carol</c>, split over as many lines as the datagram size needs.</summary>
    public static IEnumerable<string> Members(IReadOnlyList<string> nicknames, int maxBytes)
    {
        var head = $"* members ({nicknames.Count}): ";
        var continued = $"* members ({nicknames.Count}), continued: ";
        var line = new StringBuilder(head);
        var lineBytes = Encoding.UTF8.GetByteCount(head);
        var first = true;
        foreach (var nickname in nicknames)
        {
            var bytes = Encoding.UTF8.GetByteCount(nickname) + (first ? 0 : 2);
            if (!first && lineBytes + bytes > maxBytes)
            {
                yield return line.ToString();
                line.Clear().Append(continued);
                lineBytes = Encoding.UTF8.GetByteCount(continued);
                first = true;
                bytes -= 2;
            }

            line.Append(first ? "" : ", ").Append(nickname);
            lineBytes += bytes;
            first = false;
        }

        yield return line.ToString();
    }

    public static string[] TooLarge(int bytes) =>
        [$"! datagram too large: {bytes} bytes, at most {ChatProtocol.MaxDatagramBytes} per message"];

    public static readonly string[] InvalidUtf8 = ["! not valid UTF-8: send text encoded in UTF-8", "! not valid UTF-8", "! not UTF-8", "! bad"];

    public static string[] ControlCharacter(string which) =>
        [$"! {which} is not allowed: no control characters in chat text", "! control characters are not allowed", "! control character", "! bad"];

    public static string[] TooFast(double rate, double burst) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"! too fast: at most {rate:0.##} messages a second (bursts of {burst:0.##}); messages dropped until you slow down"),
        "! too fast: messages dropped",
        "! too fast",
    ];

    public static string[] Full(int max) => [$"! the chat is full: {max} members at most, try again later", "! the chat is full", "! full"];

    public static string[] InvalidNickname(string problem) => [$"! invalid nickname: {problem}", "! invalid nickname", "! bad nick", "! bad"];

    public static string[] Taken(string nickname) => [$"! nickname {nickname} is taken: choose another", $"! {nickname} is taken", "! taken"];

    public static string[] AlreadyJoined(string nickname) =>
        [$"! already joined as {nickname}: /nick NEW changes your nickname", "! already joined", "! joined"];

    public static string[] Usage(string usage) => [$"! usage: {usage}", "! usage"];

    public static string[] NoSuchMember(string nickname) => [$"! no member is called {nickname}: /who lists them", "! no such member", "! unknown"];

    public static string[] UnknownCommand(string word) =>
    [
        $"! unknown command /{word}: the commands are /join, /nick, /who, /msg, /leave, /quit and /ping; start a text with // to send a /",
        $"! unknown command /{word}",
        "! unknown command",
        "! bad",
    ];

    public static string[] MessageTooLong(int maxTextBytes) =>
    [
        $"! message too long: with your nickname, at most {maxTextBytes} bytes of text fit in a datagram",
        "! message too long",
        "! too long",
    ];

    public static string[] SameNickname(string nickname) => [$"! you are already {nickname}", "! no change"];

    /// <summary>
    /// The longest wording that, with <paramref name="ending"/>, is at most <paramref name="limit"/> bytes, encoded;
    /// <see langword="null"/> when not even the shortest fits.
    /// </summary>
    public static byte[]? Fit(IReadOnlyList<string> wordings, LineEnding ending, int limit)
    {
        foreach (var wording in wordings)
        {
            if (Encoding.UTF8.GetByteCount(wording) + ChatText.Length(ending) <= limit)
            {
                return Encode(wording, ending);
            }
        }

        return null;
    }

    /// <summary>A line as a datagram: UTF-8, then the line ending.</summary>
    public static byte[] Encode(string line, LineEnding ending)
    {
        var suffix = ending switch
        {
            LineEnding.CrLf => "\r\n",
            LineEnding.Lf => "\n",
            _ => "",
        };
        return Encoding.UTF8.GetBytes(line + suffix);
    }

    private static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
}
