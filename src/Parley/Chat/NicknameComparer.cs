using Parley.Unicode;

namespace Parley.Chat;

/// <summary>
/// Compares nicknames by what they look like (UTS #39): after NFKC and case folding (so <c>ALICE</c>, fullwidth
/// <c>ａｌｉｃｅ</c> and KELVIN SIGN for <c>K</c> are the same as their plain lower case), then as confusable skeletons
/// (so <c>a1ice</c> with a digit 1, or <c>alice</c> written in Cyrillic letters, is the same as <c>alice</c>), as
/// UTS #39 section 4 compares identifiers that ignore case: the skeleton of the case-folded name.
/// <see cref="Compare"/> orders by the folded names alone, as people read them (<c>m</c> among the m's, not after
/// <c>r</c> as its skeleton <c>rn</c> would).
/// </summary>
internal sealed class NicknameComparer : StringComparer
{
    public override int Compare(string? x, string? y) =>
        x is null || y is null ? string.CompareOrdinal(x, y) : string.CompareOrdinal(UnicodeTables.Fold(x), UnicodeTables.Fold(y));

    public override bool Equals(string? x, string? y) =>
        x is null || y is null ? ReferenceEquals(x, y) : string.Equals(Key(x), Key(y), StringComparison.Ordinal);

    public override int GetHashCode(string obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return string.GetHashCode(Key(obj), StringComparison.Ordinal);
    }

    public static string Key(string nickname) => UnicodeTables.Skeleton(nickname);
}
