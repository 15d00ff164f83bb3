using System.CommandLine;
using Microsoft.Extensions.Logging;
using Parley.Storage;

namespace Parley.Cli.Options;

/// <summary><c>--db PATH</c>: the SQLite database the identification and authentication services share.</summary>
internal sealed class DatabaseOption
{
    public const string DefaultPath = "parley.db";

    private readonly Option<string> _path = new("--db")
    {
        Description = $"The database file, shared by the ident and auth services (default: {DefaultPath} in the working directory)",
        HelpName = "path",
        DefaultValueFactory = _ => DefaultPath,
    };

    public void AddTo(Command command) => command.Add(_path);

    public string Path(ParseResult result) => result.GetValue(_path) is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Opens the database; a file that cannot be used is one clear error line.</summary>
    public ParleyDatabase Open(ParseResult result, ILogger? logger = null, bool create = true)
    {
        try
        {
            return ParleyDatabase.Open(Path(result), logger, create);
        }
        catch (ParleyDatabaseException e)
        {
            throw new CliException(e.Message);
        }
    }
}
