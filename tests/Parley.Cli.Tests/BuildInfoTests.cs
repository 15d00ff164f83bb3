using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

public sealed class BuildInfoTests
{
    [Fact]
    public async Task Version_prints_the_version_and_the_commit_the_program_was_built_from()
    {
        var (exit, parley) = await ParleyProcess.RunAsync("", TestTimeout.Token(), "--version");
        await using var _ = parley;

        Assert.Equal(0, exit);
        Assert.Matches(@"^parley \d+\.\d+\.\d+ \(commit [0-9a-f]{40}\)\n$", parley.StandardOutput);
        Assert.Equal("", parley.StandardError);
    }
}
