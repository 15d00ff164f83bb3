using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Auth;

/// <summary>
/// Session tokens: 256 bits from the operating system's cryptographic random generator, in base64url without
/// padding (43 characters). The server keeps only each token's SHA-256, so a copy of its database opens no session.
/// </summary>
internal static class SessionTokens
{
    /// <summary>The number of random bytes in a token.</summary>
    public const int Bytes = 32;

    /// <summary>The length of a token's text.</summary>
    public const int Length = 43;

    /// <summary>A new token and the SHA-256 to store for it.</summary>
    public static (string Token, byte[] Hash) Create()
    {
        Span<byte> random = stackalloc byte[Bytes];
        RandomNumberGenerator.Fill(random);
        var token = Base64Url.EncodeToString(random);
        var hash = SHA256.HashData(random);
        CryptographicOperations.ZeroMemory(random);
        return (token, hash);
    }

    /// <summary>The SHA-256 of <paramref name="token"/>, or <see langword="false"/> when it is not a token's shape.</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        if (token is null || token.Length != Length)
        {
            return false;
        }

        Span<byte> random = stackalloc byte[Bytes + 2];
        // The OperationStatus form: TryDecodeFromChars throws on a character outside the alphabet.
        if (Base64Url.DecodeFromChars(token, random, out _, out var written) != System.Buffers.OperationStatus.Done || written != Bytes)
        {
            return false;
        }

        hash = SHA256.HashData(random[..Bytes]);
        CryptographicOperations.ZeroMemory(random);
        return true;
    }
}
