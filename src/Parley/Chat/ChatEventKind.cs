namespace Parley.Chat;

/// <summary>What a <see cref="ChatEvent"/> reports.</summary>
public enum ChatEventKind
{
    /// <summary>A line from the server, to show as it is: a message, a notice (<c>* ...</c>) or an error (<c>! ...</c>).</summary>
    Message,

    /// <summary>Nothing has come from the server for <see cref="ChatClientOptions.ServerTimeout"/>.</summary>
    ServerNotResponding,

    /// <summary>The server is heard again after <see cref="ServerNotResponding"/>.</summary>
    ServerResponding,

    /// <summary>The server no longer knew this client (it restarted, or dropped the client after silence); the client is joining again.</summary>
    Rejoining,

    /// <summary>The session is over; <see cref="ChatClient.EndReason"/> says why. The last event.</summary>
    Ended,
}
