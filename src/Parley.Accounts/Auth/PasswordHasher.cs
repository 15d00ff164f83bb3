using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Parley.Auth;

/// <summary>
/// Argon2id password hashing through NSec (libsodium): a random 16-byte salt per password, 32 derived bytes, stored
/// as a PHC string. Passwords are handed to Argon2 as UTF-8 bytes, in a buffer wiped after use; comparisons are
/// constant-time. Hashing is slow on purpose (tens of milliseconds, <see cref="Argon2Settings.MemoryKiB"/> of
/// memory): call it off the network I/O path, through a <see cref="PasswordHashingPool"/>.
/// </summary>
internal sealed class PasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a hasher that makes new hashes with <paramref name="settings"/> (default <see cref="Argon2Settings.Owasp"/>).</summary>
    public PasswordHasher(Argon2Settings? settings = null)
    {
        Settings = settings ?? Argon2Settings.Owasp;
        Settings.Validate();
    }

    /// <summary>The settings new hashes are made with; stored hashes weaker than these are upgraded at sign-in.</summary>
    public Argon2Settings Settings { get; }

    /// <summary>Hashes <paramref name="password"/> with a new random salt; the PHC string.</summary>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new PhcHash(Settings, salt, Derive(password, salt, Settings)).ToString();
    }

    /// <summary>
    /// Checks <paramref name="password"/> against a stored PHC string, in constant time once the hash is computed.
    /// A stored string that cannot be parsed never matches.
    /// </summary>
    public PasswordCheck Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!PhcHash.TryParse(stored, out var phc) || phc.Settings.Parallelism != 1 || phc.Settings.MemoryKiB < 8)
        {
            return PasswordCheck.Invalid;
        }

        var derived = Derive(password, phc.Salt, phc.Settings, phc.Hash.Length);
        var match = CryptographicOperations.FixedTimeEquals(derived, phc.Hash);
        CryptographicOperations.ZeroMemory(derived);
        if (!match)
        {
            return PasswordCheck.Invalid;
        }

        return Settings.IsStrongerThan(phc.Settings) ? PasswordCheck.ValidNeedsUpgrade : PasswordCheck.Valid;
    }

    private static byte[] Derive(string password, byte[] salt, Argon2Settings settings, int length = HashBytes)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = settings.Parallelism,
            MemorySize = settings.MemoryKiB,
            NumberOfPasses = settings.Iterations,
        });
        var size = StrictUtf8.GetByteCount(password);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var bytes = buffer.AsSpan(0, StrictUtf8.GetBytes(password, buffer));
            return algorithm.DeriveBytes(bytes, salt, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
