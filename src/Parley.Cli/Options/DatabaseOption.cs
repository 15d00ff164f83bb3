using System.CommandLine;
using Microsoft.Extensions.Logging;
using Parley.Storage;

namespace Parley.Cli.Options;

/// <summary><c>--db PATH</c>: the SQLite database the identification and authentication services share.</summary>
internal sealed class DatabaseOption(bool server = false)
{
    public const string DefaultPath = "parley.db";

    /// <summary>The servers' default for <c>--max-waiting-writes</c>: a few hundred milliseconds of durable writes.</summary>
    public const int DefaultMaxWaitingWrites = 64;

    private readonly Option<string> _path = new("--db")
    {
        Description = $"The database file, shared by the ident and auth services (default: {DefaultPath} in the working directory)",
        HelpName = "path",
        DefaultValueFactory = _ => DefaultPath,
    };

    private readonly Option<int> _maxWaitingWrites = OptionFactory.Int("--max-waiting-writes",
        $"Database writes that may wait for their turn; past it a client gets 'busy' at once, so a flood cannot queue more durable writes than the disk makes; 0 means unlimited (default: {DefaultMaxWaitingWrites})",
        DefaultMaxWaitingWrites, 0, 1_000_000);

    public void AddTo(Command command)
    {
        command.Add(_path);
        if (server)
        {
            command.Add(_maxWaitingWrites);
        }
    }

    public string Path(ParseResult result) => result.GetValue(_path) is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Opens the database; a file that cannot be used is one clear error line.</summary>
    public ParleyDatabase Open(ParseResult result, ILogger? logger = null, bool create = true)
    {
        var database = ParleyDatabase.Open(Path(result), logger, create);
        if (server)
        {
            database.MaxWaitingWrites = result.GetValue(_maxWaitingWrites);
        }

        return database;
    }
}
