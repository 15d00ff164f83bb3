using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16, "Files": the real program makes an existing database or session file that other users may read its
/// owner's only, and says so (Unix file modes: the suite runs on Linux).
/// </summary>
public sealed class FilePermissionThreatTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-files-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_database_readable_by_others_is_made_private_with_a_warning_when_the_server_starts()
    {
        var ct = TestTimeout.Token();
        var db = Path.Combine(_folder.FullName, "parley.db");
        await File.WriteAllBytesAsync(db, [], ct);
        File.SetUnixFileMode(db, Everyone);

        var (server, _) = await DialogServerProcess.StartAsync("ident", db, ct);
        await using var __ = server;

        await server.WaitForAsync(new Regex(Regex.Escape($"{db} could be read by other users (mode 644): it is now readable by its owner only")), ct, standardError: true);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(db));
    }

    [Fact]
    public async Task A_session_file_readable_by_others_is_made_private_with_a_warning()
    {
        var ct = TestTimeout.Token();
        var sessions = Path.Combine(_folder.FullName, "sessions.json");
        await File.WriteAllTextAsync(sessions, """{"version":1,"servers":{}}""", ct);
        File.SetUnixFileMode(sessions, Everyone);
        var db = Path.Combine(_folder.FullName, "parley.db");
        var (server, port) = await DialogServerProcess.StartAsync("auth", db, ct);
        await using var _ = server;

        var (exit, client) = await ParleyProcess.RunAsync("", ct,
            "client", "auth", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", sessions);
        await using var __ = client;

        Assert.Contains($"parley: warning: {sessions} could be read by other users (mode 644): it is now readable by its owner only",
            client.StandardError, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(sessions));
        Assert.NotEqual(0, exit);
    }

    [OrdinaryUserFact]
    public async Task A_database_readable_by_others_that_cannot_be_made_private_is_refused_with_one_line()
    {
        if (!OrdinaryUserFactAttribute.AsRoot)
        {
            // Only root can leave an ordinary user a file it does not own to try: there is nothing to see otherwise.
            return;
        }

        var ct = TestTimeout.Token();
        File.SetUnixFileMode(_folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var db = Path.Combine(_folder.FullName, "parley.db");
        await File.WriteAllBytesAsync(db, [], ct);
        File.SetUnixFileMode(db, Everyone);

        using var copy = new TempFolder("parley-nobody-");
        await using var admin = ParleyProcess.StartWrapped("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"],
            ["ident", "list", "--db", db], program: OrdinaryUserFactAttribute.ProgramForNobody(copy));

        Assert.Equal(1, await admin.WaitForExitAsync(ct));
        var error = admin.StandardError.TrimEnd('\n');
        Assert.StartsWith($"parley: refusing the database {db}: it can be read by other users and cannot be made private (", error, StringComparison.Ordinal);
        Assert.EndsWith("make it readable by its owner only (chmod 600), or give another --db", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(Everyone, File.GetUnixFileMode(db));
    }
}
