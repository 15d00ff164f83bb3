using System.CommandLine;
using System.CommandLine.Invocation;

namespace Parley.Cli;

/// <summary><c>--version</c>: the version and the commit it was built from (<see cref="BuildInfo.VersionLine"/>).</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.VersionLine);
        return ExitCodes.Ok;
    }
}
