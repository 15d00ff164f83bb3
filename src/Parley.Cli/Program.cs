using Parley.Cli;
using Parley.Cli.Hosting;

// Before anything opens a file or socket (Hosting/FileDescriptorLimit.cs).
FileDescriptorLimit.Raise();

// The echo server and the load generator never block in a socket continuation, so they run those continuations on
// the I/O thread itself instead of handing each to the thread pool: one thread switch less per read or write
// (bench/README.md). Set before any socket exists, as the runtime reads it once; an explicit setting is left alone.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (args is ["serve", "echo", ..] or ["bench", ..] && Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

return await ParleyCli.RunAsync(args, CliConsole.FromSystem());
