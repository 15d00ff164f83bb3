namespace Parley.Chat;

/// <summary>
/// What another server of the room did, as its relay reports it: <paramref name="Nickname"/> is the member it is
/// about (the sender of a message), <paramref name="Other"/> the new nickname of a rename or the recipient of a
/// private message, <paramref name="Text"/> the text of a message.
/// </summary>
internal sealed record ChatRelayEvent(ChatRelayEventKind Kind, string Nickname, string Other = "", string Text = "");
