using Parley.Shared;

namespace Parley.Cli;

/// <summary>
/// A failure the command line finds itself: like every <see cref="ParleyException"/>, printed as one line,
/// <c>parley: message</c>, with no stack trace, and the exit code its kind maps to (<see cref="ExitCodes.Of"/>).
/// </summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure)
    : ParleyException(message, ExitCodes.KindOf(exitCode));
