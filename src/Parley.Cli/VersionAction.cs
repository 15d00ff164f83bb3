using System.CommandLine;
using System.CommandLine.Invocation;

namespace Parley.Cli;

/// <summary><c>--version</c>: the version and the commit it was built from (<see cref="BuildInfo.VersionLine"/>).</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult) => Write(parseResult.InvocationConfiguration.Output);

    /// <summary>Writes the version line; a bare <c>parley --version</c> comes here without parsing (<see cref="ParleyCli.RunAsync"/>).</summary>
    public static int Write(TextWriter output)
    {
        output.WriteLine(BuildInfo.VersionLine);
        return ExitCodes.Ok;
    }
}
