using System.Globalization;
using Npgsql;

namespace Parley.Storage;

/// <summary>
/// A PostgreSQL URL, <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTIONS]</c> (also <c>postgresql://</c>), as
/// libpq writes it, turned into Npgsql's connection settings. Without a password in the URL, Npgsql takes it from
/// <c>PGPASSWORD</c> or the password file (<c>PGPASSFILE</c>, default <c>~/.pgpass</c>), as libpq does. The query
/// options accepted are <see cref="Options"/>; any other is refused, so that a typo is not silently ignored.
/// </summary>
internal sealed class PostgreSqlUrl
{
    /// <summary>The connect timeout when the URL gives none, in seconds: an unreachable server is reported this soon.</summary>
    public const int DefaultConnectTimeout = 5;

    /// <summary>The query options a URL may carry.</summary>
    public static readonly IReadOnlyList<string> Options = ["sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name"];

    private PostgreSqlUrl(NpgsqlConnectionStringBuilder settings, string display)
    {
        Settings = settings;
        Display = display;
    }

    /// <summary>The connection settings, the password included when the URL has one.</summary>
    internal NpgsqlConnectionStringBuilder Settings { get; }

    /// <summary>The URL without its password and options, fit for logs and messages: <c>postgres://USER@HOST:PORT/DATABASE</c>.</summary>
    public string Display { get; }

    /// <summary>HOST:PORT, as an unreachable server is named.</summary>
    public string Endpoint => Settings.Host!.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Settings.Host}]:{Settings.Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Settings.Host}:{Settings.Port}");

    /// <summary>Whether <paramref name="text"/> is meant as a PostgreSQL URL (rather than a file path).</summary>
    public static bool IsUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a URL; a malformed one throws a <see cref="FormatException"/> whose message says why, without the password.</summary>
    public static PostgreSqlUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsUrl(text))
        {
            throw new FormatException("a PostgreSQL URL starts with postgres:// or postgresql://");
        }

        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || slash == rest.Length - 1)
        {
            throw new FormatException("the URL names no database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE");
        }

        var database = Decode(rest[(slash + 1)..]);
        var authority = rest[..slash];
        var settings = new NpgsqlConnectionStringBuilder { Database = database, Timeout = DefaultConnectTimeout };
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            settings.Username = Decode(colon < 0 ? credentials : credentials[..colon]);
            if (colon >= 0)
            {
                settings.Password = Decode(credentials[(colon + 1)..]);
            }

            if (settings.Username.Length == 0)
            {
                throw new FormatException("the URL has an empty user name before '@'");
            }
        }

        var (host, port) = HostAndPort(authority);
        settings.Host = host;
        settings.Port = port;
        ApplyOptions(settings, query);
        var user = settings.Username is { } name ? Uri.EscapeDataString(name) + "@" : "";
        var shownHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new PostgreSqlUrl(settings, string.Create(CultureInfo.InvariantCulture,
            $"postgres://{user}{shownHost}:{port}/{Uri.EscapeDataString(database)}"));
    }

    private static (string Host, int Port) HostAndPort(string authority)
    {
        string host;
        var portText = "";
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("the URL's IPv6 host has no closing ']'");
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw new FormatException("the URL has text after its host's ']'");
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[(colon + 1)..];
            host = Decode(host);
        }

        if (host.Length == 0)
        {
            throw new FormatException("the URL names no host: postgres://USER@HOST[:PORT]/DATABASE");
        }

        var port = 5432;
        if (portText.Length > 0 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"the URL's port '{portText}' is not a number from 1 to 65535");
        }

        return (host, port);
    }

    private static void ApplyOptions(NpgsqlConnectionStringBuilder settings, string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            switch (name)
            {
                case "sslmode":
                    settings.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                    };
                    break;
                case "sslrootcert":
                    settings.RootCertificate = value;
                    break;
                case "sslcert":
                    settings.SslCertificate = value;
                    break;
                case "sslkey":
                    settings.SslKey = value;
                    break;
                case "connect_timeout":
                    settings.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
                        ? seconds
                        : throw new FormatException($"connect_timeout '{value}' is not a number of seconds from 1 to 3600");
                    break;
                case "application_name":
                    settings.ApplicationName = value;
                    break;
                default:
                    throw new FormatException($"the URL option '{name}' is not supported (accepted: {string.Join(", ", Options)})");
            }
        }
    }

    // A malformed %-escape stays as written (Uri.UnescapeDataString): it can only make a name that does not match.
    private static string Decode(string part) => Uri.UnescapeDataString(part);
}
