namespace Parley.Chat;

/// <summary>Something that happened in a chat session, in the order it happened.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Text">The server's line for <see cref="ChatEventKind.Message"/>, otherwise an explanation for a person.</param>
public sealed record ChatEvent(ChatEventKind Kind, string Text);
