using System.CommandLine;
using Microsoft.Extensions.Logging;
using Parley.Cli.Options;

namespace Parley.Cli.Logging;

/// <summary>The logging options every service and client takes.</summary>
internal sealed class LoggingOptions
{
    private readonly Option<string> _level;

    private readonly Option<string?> _file = new("--log-file")
    {
        Description = "Write service messages to this file instead of the console (the console keeps the Listening line, warnings and errors); appended to, rolled over by size, 5 files kept",
        HelpName = "path",
    };

    private readonly Option<bool> _console = new("--log-console")
    {
        Description = "With --log-file: write every service message to the console as well",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "Log only warnings and errors, as --log-level warning: turns off the data events (received, sent) for load",
    };

    private readonly Option<string> _format = OptionFactory.Choice(
        "--log-format", "Log file format: text (one line per event) or json (one object per line)", "text", "text", "json");

    private readonly Option<string> _fileSize = OptionFactory.Size(
        "--log-file-size", "Roll the log file over at this size, in bytes or with KB, MB, GB (at least 1KB)", "10MB", "10MB, 512KB or 1048576");

    /// <param name="defaultLevel">
    /// The level when <c>--log-level</c> is not given: information for servers and clients; warning for commands whose
    /// output is their result (<c>parley ping</c>), so that service messages do not drown it.
    /// </param>
    public LoggingOptions(string defaultLevel = "information")
    {
        _level = OptionFactory.Choice(
            "--log-level", "Least severe service messages to log: trace, debug, information (every event, data received and sent included), warning (no data events: for load), error, critical or none",
            "level", defaultLevel, ["trace", "debug", "information", "warning", "error", "critical", "none"]);
    }

    public void AddTo(Command command)
    {
        command.Add(_level);
        command.Add(_quiet);
        command.Validators.Add(result =>
        {
            if (result.GetValue(_quiet) && result.GetResult(_level) is { Implicit: false })
            {
                result.AddError("--quiet and --log-level say the same thing: give one of them");
            }
        });
        command.Add(_file);
        command.Add(_console);
        command.Add(_format);
        command.Add(_fileSize);
    }

    public LoggingSettings Read(ParseResult result) => new(
        result.GetValue(_quiet) ? LogLevel.Warning : Enum.Parse<LogLevel>(result.GetValue(_level)!, ignoreCase: true),
        result.GetValue(_file),
        result.GetValue(_console),
        result.GetValue(_format) == "json" ? LogFormat.Json : LogFormat.Text,
        OptionFactory.TryParseSize(result.GetValue(_fileSize) ?? "", out var size) ? size : 10_000_000);
}
