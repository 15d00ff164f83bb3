namespace Parley.Cli.Sessions;

/// <summary>One server's session as the client keeps it.</summary>
internal sealed record SessionEntry(string Token, string? User, string? Expires);
