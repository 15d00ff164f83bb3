using System.Diagnostics;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Shell;

/// <summary>docs/parley.1 is what <c>parley man</c> generates from the command tree, and man(1) renders it.</summary>
public sealed class ManPageTests
{
    private static readonly string Committed = Path.Combine(RepositoryRoot(), "docs", "parley.1");

    [Fact]
    public async Task The_committed_man_page_is_what_the_program_generates()
    {
        var (exit, parley) = await ParleyProcess.RunAsync("", TestTimeout.Token(), "man");
        await using var _ = parley;

        Assert.Equal(0, exit);
        Assert.True(await File.ReadAllTextAsync(Committed) == parley.StandardOutput,
            "docs/parley.1 is out of date: run 'dotnet run --project src/Parley.Cli -- man > docs/parley.1'");
    }

    [Fact]
    public async Task The_man_page_shows_built_in_defaults_whatever_the_environment_says()
    {
        var ct = TestTimeout.Token();
        await using var plain = ParleyProcess.Start("man");
        await using var withPort = ParleyProcess.Start(["man"], new Dictionary<string, string?> { ["PARLEY_PORT"] = "1234" });
        plain.Input.Close();
        withPort.Input.Close();

        Assert.Equal(0, await plain.WaitForExitAsync(ct));
        Assert.Equal(0, await withPort.WaitForExitAsync(ct));
        Assert.Equal(plain.StandardOutput, withPort.StandardOutput);
        Assert.DoesNotContain("1234", withPort.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Man_renders_the_page_without_warnings_with_every_command_and_the_exit_codes()
    {
        var start = new ProcessStartInfo("man", ["--warnings", "-l", Committed])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["MANWIDTH"] = "100", ["MANPAGER"] = "cat", ["PAGER"] = "cat" },
        };
        using var man = Process.Start(start)!;
        var output = man.StandardOutput.ReadToEndAsync();
        var errors = man.StandardError.ReadToEndAsync();
        await man.WaitForExitAsync(TestTimeout.Token());

        Assert.Equal(0, man.ExitCode);
        Assert.Equal("", await errors);
        Assert.Contains("parley serve echo [options]", await output, StringComparison.Ordinal);
        Assert.Contains("EXIT STATUS", await output, StringComparison.Ordinal);
        Assert.Contains("--framing line|length", await output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Parley.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }
}
