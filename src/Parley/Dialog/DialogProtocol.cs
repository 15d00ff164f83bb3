using System.Globalization;

namespace Parley.Dialog;

/// <summary>Constants and small rules of the dialog protocol shared by servers and clients.</summary>
internal static class DialogProtocol
{
    /// <summary>The protocol version this library speaks.</summary>
    public const int Version = 1;

    /// <summary>
    /// The largest message a dialog server accepts from a client, 64 KiB. A client's message is small (an answer,
    /// a line of conversation); the limit keeps a connection's memory small.
    /// </summary>
    public const int MaxClientMessageBytes = 64 * 1024;

    /// <summary>The largest message a dialog server sends and a dialog client accepts, 1 MiB.</summary>
    public const int MaxServerMessageBytes = 1024 * 1024;

    /// <summary>How many <c>bad-message</c> errors in a row end the connection.</summary>
    public const int MaxBadMessagesInARow = 3;

    /// <summary>Formats a time the way the protocol carries it: ISO 8601 in UTC, to the second (<c>2025-01-31T12:00:00Z</c>).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="text"/> is the command <paramref name="command"/> (<c>exit</c>, <c>stop</c>): exactly that word, ASCII letters in any case.</summary>
    public static bool IsCommand(string? text, string command) =>
        text is not null && text.Equals(command, StringComparison.OrdinalIgnoreCase) && text.All(char.IsAscii);
}
