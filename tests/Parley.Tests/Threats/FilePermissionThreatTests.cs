using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Storage;
using Parley.Tests.Support;
using Parley.Tests.Tls;
using Parley.Tls;

namespace Parley.Tests.Threats;

/// <summary>
/// Issue 16, "Files": an existing database (password hashes), TLS key or session file that other users may read is
/// made its owner's only, with a warning (Unix file modes: the suite runs on Linux).
/// </summary>
public sealed class FilePermissionThreatTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Everyone = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly TempDatabase _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public void An_existing_database_readable_by_others_is_made_its_owners_with_a_warning()
    {
        _file.Open().Dispose();
        File.SetUnixFileMode(_file.Path, Everyone);
        File.WriteAllBytes(_file.Path + "-wal", []);
        File.SetUnixFileMode(_file.Path + "-wal", Everyone);
        var (factory, logs) = TestLogging.Create();

        using (ParleyDatabase.Open(_file.Path, factory.CreateLogger("test")))
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(_file.Path));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(_file.Path + "-wal"));
        }

        var warnings = logs.Events("Tightened");
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains($"{_file.Path} could be read by other users (mode 644)", warnings[0].Message, StringComparison.Ordinal);
        factory.Dispose();
    }

    [Fact]
    public void A_private_database_is_opened_without_a_warning()
    {
        _file.Open().Dispose();
        var (factory, logs) = TestLogging.Create();

        using (ParleyDatabase.Open(_file.Path, factory.CreateLogger("test")))
        {
        }

        Assert.False(logs.Has("Tightened"));
        factory.Dispose();
    }

    [Fact]
    public void A_TLS_key_given_by_the_user_and_readable_by_others_is_made_its_owners_with_a_warning()
    {
        var certificatePath = Path.Combine(_file.Folder, "server.crt");
        var keyPath = Path.Combine(_file.Folder, "server.key");
        File.WriteAllText(certificatePath, TlsTestCertificates.Localhost.ExportCertificatePem());
        File.WriteAllText(keyPath, TlsTestCertificates.Localhost.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyPath, Everyone);
        var (factory, logs) = TestLogging.Create();

        using var loaded = ServerCertificates.Load(certificatePath, keyPath, null, factory.CreateLogger("test"));

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(keyPath));
        Assert.True(logs.Has("Tightened", r => r.Message.Contains(keyPath, StringComparison.Ordinal)));
        factory.Dispose();
    }
}
