using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Chat;

/// <summary>
/// The stateless proof that an address receives the server's datagrams (QUIC's address validation, RFC 9000
/// section 8): the code sent to an unproven <c>/join NICK</c> is an HMAC-SHA256 of the address, the port, the
/// nickname and the current time window, under a key made at start and never shown. Only who reads the challenge at
/// that address can send the code back, and a forged <c>/join</c> leaves no state behind and reserves no nickname.
/// </summary>
internal sealed class JoinChallenge
{
    /// <summary>Characters of a code: 8 of Crockford's base 32 carry 40 bits.</summary>
    public const int CodeLength = 8;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A code is good in the window it was made in and the next: between one and two windows.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public JoinChallenge(TimeProvider time) => _time = time;

    /// <summary>The code for <paramref name="nickname"/> joining from <paramref name="from"/> now.</summary>
    public string CodeFor(IPEndPoint from, string nickname) => Code(from, nickname, CurrentWindow());

    /// <summary>Whether <paramref name="code"/> (any case) was made for this address and nickname, now or a window ago.</summary>
    public bool IsValid(IPEndPoint from, string nickname, string code)
    {
        if (code.Length != CodeLength)
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(code.ToUpperInvariant());
        var window = CurrentWindow();
        return CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Code(from, nickname, window)))
            | CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Code(from, nickname, window - 1)));
    }

    /// <summary>Whether <paramref name="word"/> has the shape of a code, so that <c>/join NICK CODE</c> can be told from a nickname with a space.</summary>
    public static bool LooksLikeCode(string word) =>
        word.Length == CodeLength && word.All(c => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal));

    private long CurrentWindow() => _time.GetUtcNow().ToUnixTimeSeconds() / (long)Window.TotalSeconds;

    private string Code(IPEndPoint from, string nickname, long window)
    {
        var address = from.Address.GetAddressBytes();
        var name = Encoding.UTF8.GetBytes(nickname);
        var message = new byte[address.Length + 2 + 8 + name.Length];
        address.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(address.Length), (ushort)from.Port);
        BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(address.Length + 2), window);
        name.CopyTo(message, address.Length + 10);
        var mac = HMACSHA256.HashData(_key, message);
        var bits = BinaryPrimitives.ReadUInt64BigEndian(mac) >> 24;
        return string.Create(CodeLength, bits, static (chars, value) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(value & 31)];
                value >>= 5;
            }
        });
    }
}
