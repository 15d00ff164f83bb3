using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Net;
using Parley.Shared;

namespace Parley.Tls;

/// <summary>
/// The certificates a client has trusted on first use, one per server, in a text file like SSH's known_hosts:
/// <c>[host]:port SHA256:fingerprint</c> per line, <c>#</c> for comments.
/// </summary>
public sealed class KnownHosts
{
    private readonly string _path;
    private readonly ILogger _logger;

    /// <summary>Reads from and records into <paramref name="path"/> (it need not exist yet).</summary>
    public KnownHosts(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <summary>The key a server is known by: <c>[host]:port</c>.</summary>
    internal static string Key(string host, int port) => $"[{host.ToLowerInvariant()}]:{port}";

    /// <summary>The recorded fingerprint for a server and the line it is on, if any.</summary>
    /// <exception cref="TlsException">The file cannot be read.</exception>
    public (CertificateFingerprint Fingerprint, int Line)? Find(string host, int port)
    {
        var key = Key(host, port);
        try
        {
            foreach (var (entryKey, fingerprint, line) in Read())
            {
                if (entryKey == key)
                {
                    return (fingerprint, line);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsException($"cannot read the known hosts file {_path}: {e.Message}", e, FailureKind.Storage);
        }

        return null;
    }

    /// <summary>Records a server's fingerprint, replacing the file atomically (write a temporary file, then rename).</summary>
    /// <exception cref="TlsException">The file cannot be read or written.</exception>
    public void Add(string host, int port, CertificateFingerprint fingerprint)
    {
        try
        {
            Write(host, port, fingerprint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsException($"cannot record the certificate of {HostPort.Format(host, port)} in {_path}: {e.Message}", e, FailureKind.Storage);
        }
    }

    private void Write(string host, int port, CertificateFingerprint fingerprint)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // What this user trusts is nobody else's business: the folder is made private, as ~/.ssh is.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var existing = File.Exists(_path) ? File.ReadAllText(_path) : "";
        if (existing.Length > 0 && !existing.EndsWith('\n'))
        {
            existing += "\n";
        }

        var temporary = $"{_path}.{System.IO.Path.GetRandomFileName()}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(new FileStream(temporary, options), new UTF8Encoding(false)))
            {
                writer.Write(existing);
                writer.Write($"{Key(host, port)} {fingerprint}\n");
            }

            File.Move(temporary, _path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private IEnumerable<(string Key, CertificateFingerprint Fingerprint, int Line)> Read()
    {
        if (!File.Exists(_path))
        {
            yield break;
        }

        var number = 0;
        foreach (var raw in File.ReadLines(_path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[0].StartsWith('[') || !CertificateFingerprint.TryParse(parts[1], out var fingerprint))
            {
                TlsLog.KnownHostsLineIgnored(_logger, _path, number, line.Length > 80 ? line[..80] + "…" : line);
                continue;
            }

            yield return (parts[0].ToLowerInvariant(), fingerprint, number);
        }
    }
}
