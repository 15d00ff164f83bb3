namespace Parley.Chat;

/// <summary>Settings of the chat service.</summary>
public sealed class ChatServerOptions
{
    /// <summary>How many of the last public messages a joining member gets first. Default 20; 0 keeps none.</summary>
    public int History { get; set; } = 20;

    /// <summary>A member silent for this long is dropped and the others told <c>* NICK timed out</c>. Default 60 seconds.</summary>
    public TimeSpan MemberTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages a second each member may send on average. Default 20.</summary>
    public double Rate { get; set; } = 20;

    /// <summary>Messages a member may send at once before <see cref="Rate"/> applies. Default 40.</summary>
    public double Burst { get; set; } = 40;

    /// <summary>The most members at once; a <c>/join</c> beyond it is refused. Default 1000.</summary>
    public int MaxMembers { get; set; } = 1000;
}
