using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Parley.Shared;

/// <summary>
/// Keeps secrets' files (the database of password hashes and session hashes, a TLS key, the client's session tokens)
/// to their owner (issue 16): an existing one that others may read or write is made readable and writable by its
/// owner only, with a warning. Unix only; Windows files keep their access lists.
/// </summary>
internal static class PrivateFile
{
    private const UnixFileMode Others =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Makes <paramref name="path"/> its owner's only, when it exists and others may use it. Returns its former mode
    /// in octal (<c>644</c>) when it was changed, otherwise null.
    /// </summary>
    /// <exception cref="IOException">It cannot be changed (the message says so, in words for a user, after the file's name).</exception>
    public static string? Tighten(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
            if ((mode & Others) == 0)
            {
                return null;
            }

            File.SetUnixFileMode(path, mode & ~Others);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"it can be read by other users and cannot be made private ({e.Message}): make it readable by its owner only (chmod 600)", e);
        }

        return Convert.ToString((int)mode, 8).PadLeft(3, '0');
    }

    /// <summary><see cref="Tighten(string)"/>, with the warning logged when the file was changed.</summary>
    /// <exception cref="IOException">It cannot be changed.</exception>
    public static void Tighten(string path, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (Tighten(path) is { } was)
        {
            SharedLog.Tightened(logger, path, was);
        }
    }

    /// <summary>The warning line for a user, when <see cref="Tighten(string)"/> changed <paramref name="path"/>.</summary>
    public static string Warning(string path, string formerMode) => string.Create(CultureInfo.InvariantCulture,
        $"{path} could be read by other users (mode {formerMode}): it is now readable by its owner only");
}
