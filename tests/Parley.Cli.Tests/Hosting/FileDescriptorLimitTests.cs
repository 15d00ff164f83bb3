using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Hosting;

/// <summary>
/// The soft limit on open files is raised to the hard one at start: the JIT runtime does it by itself, the native
/// runtime does not, so this proves <c>FileDescriptorLimit</c> when the suite runs against the native binary.
/// </summary>
public sealed class FileDescriptorLimitTests
{
    [Fact]
    public async Task A_server_started_with_a_low_soft_limit_on_open_files_runs_with_the_hard_limit()
    {
        var ct = TestTimeout.Token();
        await using var server = ParleyProcess.StartWrapped("bash", ["-c", "ulimit -Sn 64 && exec \"$0\" \"$@\""],
            ["serve", "echo", "--port", "0", "--host", "127.0.0.1"]);
        await server.WaitForListeningPortAsync(ct);

        var limits = File.ReadLines($"/proc/{server.Id}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = limits["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEqual("64", fields[0]);
        Assert.Equal(fields[1], fields[0]);
    }
}
