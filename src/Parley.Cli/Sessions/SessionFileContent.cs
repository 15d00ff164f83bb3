namespace Parley.Cli.Sessions;

/// <summary>The shape of <c>sessions.json</c>: a version, and the sessions by server (<c>host:port</c>).</summary>
internal sealed class SessionFileContent
{
    public int Version { get; set; } = 1;

    public Dictionary<string, SessionEntry> Servers { get; set; } = new(StringComparer.Ordinal);
}
