using Parley.Shared;

namespace Parley.Cli;

/// <summary>The process exit codes of <c>parley</c>.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The job failed: could not connect or listen, lost the connection, a check failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the environment was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT), where the job has no summary of its own to give.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a failure of <paramref name="kind"/>: the library says what failed, the CLI how to exit.</summary>
    public static int Of(FailureKind kind) => kind switch
    {
        FailureKind.Usage => Usage,
        FailureKind.Interrupted => Interrupted,
        _ => Failure,
    };

    /// <summary>The kind of failure an exit code stands for: the inverse of <see cref="Of"/>.</summary>
    public static FailureKind KindOf(int exitCode) => exitCode switch
    {
        Usage => FailureKind.Usage,
        Interrupted => FailureKind.Interrupted,
        _ => FailureKind.Failed,
    };
}
