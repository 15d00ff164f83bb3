using System.Net;
using Parley.Chat;

namespace Parley.Tests.Threats;

/// <summary>The chat server as <c>parley serve chat</c> sets it up by default, and the addresses the attacks come from.</summary>
internal static class ChatThreatSetup
{
    /// <summary>The attacker's host.</summary>
    public static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    /// <summary>Someone else, on another host.</summary>
    public static readonly IPAddress Person = IPAddress.Parse("127.0.0.3");

    /// <summary>The limits the CLI sets by default (src/Parley.Cli/Commands/Chat/ChatCommands.cs).</summary>
    public static void AsTheCliSetsIt(ChatServerOptions options)
    {
        options.MaxMembersPerAddress = 32;
        options.RatePerAddress = 100;
        options.BurstPerAddress = 200;
        options.MaxBacklog = 10_000;
    }
}
