using Parley.Cli.Sessions;

namespace Parley.Cli.Tests.Sessions;

public sealed class SessionFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-sessions-");

    private string FilePath => Path.Combine(_folder.FullName, "parley", "sessions.json");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Tokens_saved_by_many_clients_at_the_same_moment_are_all_kept()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var warnings = new StringWriter();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(() =>
        {
            var file = new SessionFile(FilePath, TextWriter.Synchronized(warnings));
            for (var save = 0; save < 10; save++)
            {
                file.Set($"host{client}:{9002 + save}", new SessionEntry($"token-{client}-{save}", "ana", null));
            }
        }, limit.Token)));

        var kept = new SessionFile(FilePath, warnings);
        for (var client = 0; client < 8; client++)
        {
            for (var save = 0; save < 10; save++)
            {
                Assert.Equal($"token-{client}-{save}", kept.Get($"host{client}:{9002 + save}")?.Token);
            }
        }

        Assert.Empty(warnings.ToString());
    }

    [Fact]
    public void An_unreadable_file_is_set_aside_with_a_warning_never_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "{ not json");
        var warnings = new StringWriter();
        var file = new SessionFile(FilePath, warnings);

        file.Set("localhost:9002", new SessionEntry("token", "ana", null));

        Assert.Equal("{ not json", File.ReadAllText(FilePath + ".unreadable"));
        Assert.Equal("token", file.Get("localhost:9002")?.Token);
        Assert.Contains($"the unreadable session file was kept as {FilePath}.unreadable", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_cannot_be_read_just_now_is_left_as_it_is()
    {
        // Root reads whatever the mode, so the unreadable file is a link to one that fails every read with EIO.
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.CreateSymbolicLink(FilePath, "/proc/self/mem");
        var warnings = new StringWriter();

        new SessionFile(FilePath, warnings).Set("two:9002", new SessionEntry("token two", "ana", null));

        Assert.Equal("/proc/self/mem", new FileInfo(FilePath).LinkTarget);
        Assert.Contains($"parley: cannot read the session file {FilePath}: ", warnings.ToString(), StringComparison.Ordinal);
        Assert.Contains($"parley: the session file {FilePath} was left as it is", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_is_readable_by_its_owner_only()
    {
        new SessionFile(FilePath, TextWriter.Null).Set("localhost:9002", new SessionEntry("token", "ana", null));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(FilePath)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath + ".lock"));
    }
}
