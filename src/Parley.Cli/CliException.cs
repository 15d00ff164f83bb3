namespace Parley.Cli;

/// <summary>A user-facing failure: its message is printed as one line, <c>parley: message</c>, with no stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
