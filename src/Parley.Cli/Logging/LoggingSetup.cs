using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Parley.Cli.Logging;

/// <summary>
/// Builds the logger factory: Microsoft.Extensions.Logging in front (what the library logs to), Serilog behind it
/// writing to standard error and, with <c>--log-file</c>, to a size-rolled file. Both outputs are written by a
/// <see cref="BatchingSink"/> thread, so the network code never waits on them (data events are dropped and counted
/// when an output does not keep up; no other event is), behind a <see cref="TerminalSafeSink"/> that escapes what came
/// from the network; they are flushed when the factory is disposed.
/// </summary>
internal static class LoggingSetup
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate =
        "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3} {EventName}{ConnectionTag} {Message:lj}{NewLine}{Exception}";

    /// <summary>Checks the log file can be written (before any port is opened) and builds the factory.</summary>
    /// <exception cref="CliException">The log file cannot be written.</exception>
    public static ILoggerFactory Create(LoggingSettings settings)
    {
        if (settings.File is { } path)
        {
            CheckWritable(path);
        }

        var consoleLevel = settings.File is null || settings.AlsoConsole
            ? settings.Level
            : (MelLogLevel)Math.Max((int)settings.Level, (int)MelLogLevel.Warning);
        // Serilog's provider lets every level through Microsoft.Extensions.Logging's filter and asks Serilog instead:
        // its minimum must be the level asked for, or each Debug data event would be built and only then dropped.
        var configuration = new LoggerConfiguration().MinimumLevel.Is(ToSerilog(settings.Level)).Enrich.With<EventNameEnricher>();
        if (consoleLevel != MelLogLevel.None)
        {
            configuration.WriteTo.Sink(LoggerSinkConfiguration.Wrap(
                inner => new BatchingSink(new TerminalSafeSink(inner), capacity: 2_000),
                sink => sink.Console(
                    outputTemplate: ConsoleTemplate,
                    formatProvider: CultureInfo.InvariantCulture,
                    standardErrorFromLevel: LogEventLevel.Verbose,
                    theme: ConsoleTheme.None)),
                // The level is checked before the queue: events the console will not show must not take its room.
                restrictedToMinimumLevel: ToSerilog(consoleLevel));
        }

        if (settings.File is { } file && settings.Level != MelLogLevel.None)
        {
            configuration.WriteTo.Sink(LoggerSinkConfiguration.Wrap(
                inner => new BatchingSink(new TerminalSafeSink(inner), capacity: 20_000),
                sink =>
                {
                    if (settings.Format == LogFormat.Json)
                    {
                        sink.File(new RenderedCompactJsonFormatter(), file, restrictedToMinimumLevel: ToSerilog(settings.Level),
                            fileSizeLimitBytes: settings.FileSizeLimit, rollOnFileSizeLimit: true, retainedFileCountLimit: 5,
                            buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
                    }
                    else
                    {
                        sink.File(file, restrictedToMinimumLevel: ToSerilog(settings.Level), outputTemplate: FileTemplate,
                            formatProvider: CultureInfo.InvariantCulture, fileSizeLimitBytes: settings.FileSizeLimit,
                            rollOnFileSizeLimit: true, retainedFileCountLimit: 5, buffered: true,
                            flushToDiskInterval: TimeSpan.FromSeconds(1));
                    }
                }));
        }

        var serilog = configuration.CreateLogger();
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(settings.Level);
            builder.AddSerilog(serilog, dispose: true);
            // AddSerilog lets every level through to Serilog (a Trace rule for its provider, which overrides the
            // minimum above), so IsEnabled(Debug) was true at any level and hot paths built messages only for the
            // sinks to drop them. This rule, registered last, wins and makes IsEnabled honour the level again.
            builder.AddFilter<SerilogLoggerProvider>(null, settings.Level);
        });
    }

    private static void CheckWritable(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new CliException($"cannot write the log file '{path}': {e.Message}", ExitCodes.Usage);
        }

        if (Directory.Exists(full))
        {
            throw new CliException($"cannot write the log file {full}: it is a directory", ExitCodes.Usage);
        }

        var directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException($"cannot write the log file {full}: the directory {directory} does not exist", ExitCodes.Usage);
        }

        try
        {
            using var probe = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"cannot write the log file {full}: permission denied", ExitCodes.Usage);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot write the log file {full}: {e.Message}", ExitCodes.Usage);
        }
    }

    private static LogEventLevel ToSerilog(MelLogLevel level) => level switch
    {
        MelLogLevel.Trace => LogEventLevel.Verbose,
        MelLogLevel.Debug => LogEventLevel.Debug,
        MelLogLevel.Information => LogEventLevel.Information,
        MelLogLevel.Warning => LogEventLevel.Warning,
        MelLogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
