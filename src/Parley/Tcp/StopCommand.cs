namespace Parley.Tcp;

/// <summary>What clients say about the <c>stop</c> command, the same for every service.</summary>
internal static class StopCommand
{
    /// <summary>The ending when the server echoed <c>stop</c> back instead of stopping.</summary>
    public const string RefusedText =
        "stop came back as data: the server did not take it as a command and goes on serving (see its --allow-stop)";
}
