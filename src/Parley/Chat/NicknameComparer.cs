namespace Parley.Chat;

/// <summary>
/// Compares nicknames ignoring case as Unicode simple case folding does. <see cref="StringComparer.OrdinalIgnoreCase"/>
/// only maps to upper case, which misses the letters whose lower case is an ordinary letter of another upper case:
/// KELVIN SIGN and <c>K</c>, ANGSTROM SIGN and <c>Å</c>, OHM SIGN and <c>Ω</c>, <c>ẞ</c> and <c>ß</c>. Mapping to lower
/// case first, then to upper case, makes those the same as well (so a look-alike name cannot pass for another).
/// </summary>
internal sealed class NicknameComparer : StringComparer
{
    public override int Compare(string? x, string? y) =>
        x is null || y is null ? string.CompareOrdinal(x, y) : string.CompareOrdinal(Fold(x), Fold(y));

    public override bool Equals(string? x, string? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : string.Equals(Fold(x), Fold(y), StringComparison.Ordinal);

    public override int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return string.GetHashCode(Fold(obj), StringComparison.Ordinal);
    }

    private static string Fold(string text) => text.ToLowerInvariant().ToUpperInvariant();
}
