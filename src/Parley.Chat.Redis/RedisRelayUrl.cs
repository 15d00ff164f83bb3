using System.Globalization;

namespace Parley.Chat.Redis;

/// <summary>
/// Where the relay is: <c>redis://[:PASSWORD@]HOST[:PORT][/DB]</c> (a user before the colon for Redis ACLs; the
/// password percent-encoded if it holds <c>@</c>, <c>/</c> or <c>:</c>). <see cref="ToString"/> never shows the password.
/// </summary>
internal sealed class RedisRelayUrl
{
    /// <summary>Redis's port when the URL names none.</summary>
    public const int DefaultPort = 6379;

    private RedisRelayUrl(string host, int port, string? user, string? password, int database)
    {
        Host = host;
        Port = port;
        User = user;
        Password = password;
        Database = database;
    }

    /// <summary>The host name or address.</summary>
    public string Host { get; }

    /// <summary>The TCP port, <see cref="DefaultPort"/> by default.</summary>
    public int Port { get; }

    /// <summary>The ACL user, or null for the default user.</summary>
    public string? User { get; }

    /// <summary>The password, or null for none. Never logged.</summary>
    public string? Password { get; }

    /// <summary>The database number, 0 by default: it is part of every key and channel name (pub/sub ignores databases).</summary>
    public int Database { get; }

    /// <summary>HOST:PORT, for messages: never the password.</summary>
    public string HostAndPort => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The URL without its password.</summary>
    public override string ToString() => $"redis://{HostAndPort}/{Database}";

    /// <summary>Reads a relay URL; <paramref name="problem"/> says in a few words what is wrong with one that is not.</summary>
    public static bool TryParse(string text, out RedisRelayUrl? url, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        url = null;
        problem = "";
        if (!text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            problem = "a relay is a URL redis://[:PASSWORD@]HOST[:PORT][/DB]";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            problem = "not a valid URL: use redis://[:PASSWORD@]HOST[:PORT][/DB]";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "a relay URL takes no ?query or #fragment";
            return false;
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !(int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) && database <= 1_000_000))
        {
            problem = $"the database must be a number, not '{Uri.UnescapeDataString(path)}'";
            return false;
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            user = name.Length > 0 ? name : null;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        url = new RedisRelayUrl(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, user, password, database);
        return true;
    }
}
