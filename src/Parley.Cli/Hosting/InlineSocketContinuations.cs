namespace Parley.Cli.Hosting;

/// <summary>
/// The echo server and the load generator never block in a socket continuation, so they run those continuations on
/// the I/O thread itself instead of handing each to the thread pool: one thread switch less per read or write
/// (bench/README.md). Their commands call <see cref="Enable"/> first thing in their action, after parsing and before
/// any socket exists, as the runtime reads the setting once; an explicit setting is left alone.
/// </summary>
internal static class InlineSocketContinuations
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
