using System.Globalization;

namespace Parley.Auth;

/// <summary>
/// The cost of an Argon2id password hash: memory in KiB, passes over it, and lanes. The default is OWASP's
/// minimum for Argon2id (m=19456 KiB, t=2, p=1). NSec (libsodium) computes one lane only, so
/// <see cref="Parallelism"/> is always 1.
/// </summary>
/// <param name="MemoryKiB">Memory per hash in KiB (m). At least 8.</param>
/// <param name="Iterations">Passes over the memory (t). At least 1.</param>
/// <param name="Parallelism">Lanes (p). Only 1 is supported.</param>
internal sealed record Argon2Settings(int MemoryKiB, int Iterations, int Parallelism = 1)
{
    /// <summary>OWASP's recommended minimum for Argon2id: m=19456 KiB (19 MiB), t=2, p=1.</summary>
    public static Argon2Settings Owasp { get; } = new(19456, 2, 1);

    /// <summary>Whether a hash made with <paramref name="stored"/> is weaker than these settings in any parameter, and should be made again.</summary>
    public bool IsStrongerThan(Argon2Settings stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return MemoryKiB > stored.MemoryKiB || Iterations > stored.Iterations;
    }

    /// <summary>The settings as PHC parameters: <c>m=19456,t=2,p=1</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"m={MemoryKiB},t={Iterations},p={Parallelism}");

    internal void Validate()
    {
        if (MemoryKiB < 8 || Iterations < 1 || Parallelism != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryKiB), this,
                "Argon2id needs at least 8 KiB of memory and 1 pass, and NSec computes exactly one lane (p=1).");
        }
    }
}
