using System.Diagnostics;
using System.Text.Json;
using Parley.Shared;

namespace Parley.Cli.Sessions;

/// <summary>
/// The client's session tokens, one per server (<c>host:port</c>), in <c>sessions.json</c> under
/// <c>$XDG_CONFIG_HOME/parley</c> (default <c>~/.config/parley</c>). The file is readable by its owner only (0600,
/// in a 0700 folder) and is always replaced whole: written to a temporary file beside it, flushed to disk, then
/// renamed over it, so a crash leaves either the old file or the new one. A file that cannot be read is set aside
/// as <c>sessions.json.unreadable</c> when the next token is saved, never silently overwritten. Each change is read,
/// made and written holding <c>sessions.json.lock</c>, so that clients saving tokens at the same moment (two
/// terminals, two servers) do not lose one another's updates.
/// </summary>
internal sealed class SessionFile(string path, TextWriter warnings)
{
    // The lock is FileShare.None: flock(2) on Linux and macOS, a sharing mode on Windows. Another holder shows as
    // EWOULDBLOCK (11 on Linux, 35 on macOS) or ERROR_SHARING_VIOLATION (HRESULT 0x80070020): any other error is
    // reported at once.
    private static readonly int LockedByOther =
        OperatingSystem.IsWindows() ? unchecked((int)0x80070020) : OperatingSystem.IsMacOS() ? 35 : 11;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>
    /// What a session is kept under: <c>service ID</c> when the server's hello names its service (every server of one
    /// database), otherwise the server's <c>HOST:PORT</c>.
    /// </summary>
    public static string Key(string server, string? serviceId) => serviceId is { Length: > 0 } id ? "service " + id : server;

    /// <summary>The session kept for <paramref name="server"/>, if any.</summary>
    public SessionEntry? Get(string server) =>
        Load(out _) is { } content && content.Servers.TryGetValue(server, out var entry) && !string.IsNullOrEmpty(entry.Token) ? entry : null;

    /// <summary>Keeps <paramref name="entry"/> for <paramref name="server"/>.</summary>
    public void Set(string server, SessionEntry entry) => Update(content => content.Servers[server] = entry);

    /// <summary>Forgets the session kept for <paramref name="server"/>.</summary>
    public void Remove(string server)
    {
        if (File.Exists(Path))
        {
            Update(content => content.Servers.Remove(server));
        }
    }

    private void Update(Action<SessionFileContent> change)
    {
        try
        {
            using var held = Lock();
            if (Load(out var unreadable) is not { } content)
            {
                // It exists but cannot be read just now: writing a new one would lose every other server's token.
                warnings.WriteLine($"parley: the session file {Path} was left as it is");
                return;
            }

            change(content);
            if (unreadable)
            {
                File.Move(Path, Path + ".unreadable", overwrite: true);
                warnings.WriteLine($"parley: the unreadable session file was kept as {Path}.unreadable");
            }

            Save(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.WriteLine($"parley: could not save the session file {Path}: {e.Message}");
        }
    }

    /// <summary>Takes <c>sessions.json.lock</c> (an advisory lock, released when the stream closes), waiting for another client's change.</summary>
    private FileStream Lock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        CreateFolder();
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", options);
            }
            catch (IOException e) when (e.HResult == LockedByOther && Stopwatch.GetElapsedTime(started) < LockTimeout)
            {
                // Another client is changing the file: its change takes milliseconds.
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>The file's content; null when it exists but cannot be read (not its content: the reading).</summary>
    private SessionFileContent? Load(out bool unreadable)
    {
        unreadable = false;
        SessionFileContent? content;
        try
        {
            if (!File.Exists(Path))
            {
                return new SessionFileContent();
            }

            // Its tokens are secrets: a file others may read is made its owner's, or not used (issue 16).
            try
            {
                if (PrivateFile.Tighten(Path) is { } was)
                {
                    warnings.WriteLine($"parley: warning: {PrivateFile.Warning(Path, was)}");
                }
            }
            catch (IOException e)
            {
                warnings.WriteLine($"parley: not using the session file {Path}: {e.Message}");
                return null;
            }

            content = JsonSerializer.Deserialize(File.ReadAllBytes(Path), SessionFileJsonContext.Default.SessionFileContent);
        }
        catch (JsonException)
        {
            content = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.WriteLine($"parley: cannot read the session file {Path}: {e.Message}");
            return null;
        }

        if (content is { Servers: not null })
        {
            return content;
        }

        unreadable = true;
        warnings.WriteLine($"parley: the session file {Path} is not valid; it is ignored");
        return new SessionFileContent();
    }

    private void CreateFolder()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    private void Save(SessionFileContent content)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(file, content, SessionFileJsonContext.Default.SessionFileContent);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
