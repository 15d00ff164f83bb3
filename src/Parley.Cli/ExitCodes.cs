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
}
