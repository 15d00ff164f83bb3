using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using Parley.Storage;

namespace Parley.Cli.Options;

/// <summary>
/// <c>--db FILE|URL</c>: the database the identification and authentication services share, an SQLite file or a
/// PostgreSQL database (issue 17). A malformed URL is a bad command line, reported before anything is opened.
/// </summary>
internal sealed class DatabaseOption(bool server = false)
{
    public const string DefaultPath = "parley.db";

    /// <summary>The servers' default for <c>--max-waiting-writes</c>: a few hundred milliseconds of durable writes.</summary>
    public const int DefaultMaxWaitingWrites = 64;

    private readonly Option<DatabaseLocation> _location = new("--db")
    {
        Description = "The database shared by the ident and auth services: an SQLite file, or a PostgreSQL URL " +
            $"postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTION=VALUE&...] (options: {string.Join(", ", PostgreSqlUrl.Options)}; " +
            "without a password in the URL, PGPASSWORD or ~/.pgpass gives it); servers on one PostgreSQL database are one service " +
            $"(default: {DefaultPath} in the working directory; ${EnvironmentDefaults.DatabaseVariable}, when set, replaces it)",
        HelpName = "file|url",
        DefaultValueFactory = result => Parse(EnvironmentDefaults.Database(DefaultPath), result, EnvironmentDefaults.DatabaseVariable),
        CustomParser = result => Parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", result, "--db"),
    };

    private readonly Option<int> _maxWaitingWrites = OptionFactory.Int("--max-waiting-writes",
        $"Database writes that may wait for their turn; past it a client gets 'busy' at once, so a flood cannot queue more durable writes than the disk makes; 0 means unlimited (default: {DefaultMaxWaitingWrites})",
        DefaultMaxWaitingWrites, 0, 1_000_000);

    public void AddTo(Command command)
    {
        command.Add(_location);
        if (server)
        {
            command.Add(_maxWaitingWrites);
        }
    }

    /// <summary>Opens the database; one that cannot be used (or reached) is one clear error line, never showing a password.</summary>
    public ParleyDatabase Open(ParseResult result, ILogger? logger = null, bool create = true)
    {
        var location = result.GetValue(_location) ?? new DatabaseLocation(DefaultPath, null);
        var database = location.Url is { } url
            ? PostgreSqlDatabase.Open(url, logger, create)
            : ParleyDatabase.Open(location.Path, logger, create);
        if (server)
        {
            database.MaxWaitingWrites = result.GetValue(_maxWaitingWrites);
        }

        return database;
    }

    private static DatabaseLocation Parse(string text, ArgumentResult result, string source)
    {
        if (!PostgreSqlUrl.IsUrl(text))
        {
            return new DatabaseLocation(text.Length > 0 ? text : DefaultPath, null);
        }

        try
        {
            var url = PostgreSqlUrl.Parse(text);
            return new DatabaseLocation(url.Display, url);
        }
        catch (FormatException e)
        {
            result.AddError($"{source}: {e.Message}");
            return new DatabaseLocation(DefaultPath, null);
        }
    }

    /// <summary>A file path, or a parsed PostgreSQL URL (<see cref="Path"/> is then its display form, without a password).</summary>
    private sealed record DatabaseLocation(string Path, PostgreSqlUrl? Url)
    {
        public override string ToString() => Path;
    }
}
