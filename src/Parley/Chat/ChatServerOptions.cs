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

    /// <summary>
    /// The most members from one IP address at once (any port); a <c>/join</c> beyond it is refused with
    /// <c>! too many from your address</c>. Default 0: unlimited. Mind that people behind one NAT share an address.
    /// </summary>
    public int MaxMembersPerAddress { get; set; }

    /// <summary>
    /// Messages a second that all the members from one IP address may send together, on top of each member's
    /// <see cref="Rate"/>; beyond it their datagrams are dropped. Default 0: no limit per address.
    /// </summary>
    public double RatePerAddress { get; set; }

    /// <summary>Messages the members of one address may send at once before <see cref="RatePerAddress"/> applies. Default 0: twice the rate.</summary>
    public double BurstPerAddress { get; set; }

    /// <summary>
    /// The most datagrams waiting to be sent. Past half of it, a public message from an address that holds more than
    /// its share of the waiting datagrams is shed (dropped, counted and logged) rather than queued, so that one
    /// address flooding the chat cannot delay everyone else's messages. Default 0: no bound.
    /// </summary>
    public int MaxBacklog { get; set; }
}
