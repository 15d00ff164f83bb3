using FsCheck.Xunit;
using Parley.Unicode;

namespace Parley.Tests.Unicode;

public sealed class UnicodeTablesTests
{
    [Theory]
    [InlineData("ALICE", "alice")]
    [InlineData("ａｌｉｃｅ", "alice")] // fullwidth: a compatibility decomposition
    [InlineData("\uFB01le", "file")] // the fi ligature
    [InlineData("STRASSE", "strasse")]
    [InlineData("Stra\u00DFe", "strasse")] // full case folding: ß is ss
    [InlineData("\u00C5", "A\u030A")] // canonical decomposition, then folded
    [InlineData("\u212B", "a\u030A")] // ANGSTROM SIGN
    [InlineData("alice\u034F", "alice")] // default-ignorable code points are dropped
    [InlineData("q\u0307\u0323", "q\u0323\u0307")] // marks in canonical order
    [InlineData("\uD55C", "\u1112\u1161\u11AB")] // a Hangul syllable, by arithmetic
    public void Folding_is_NFKC_casefold_up_to_composition(string text, string folded) =>
        Assert.Equal(UnicodeTables.Fold(folded), UnicodeTables.Fold(text));

    [Theory]
    [InlineData("alice", "\u0430lice")] // Cyrillic a
    [InlineData("alice", "a1ice")] // digit 1 for l
    [InlineData("alice", "\u0430l\u0456\u0441\u0435")] // Cyrillic a, i, c, e
    [InlineData("modern", "rnodern")] // m and rn
    [InlineData("paypal", "\u0440\u0430\u0443\u0440\u0430l")]
    [InlineData("alice", "aIice")] // capital I for l: folding alone would make it aiice
    [InlineData("will", "wiII")]
    [InlineData("Ian", "ian")] // and the capital I still meets its own lower case
    public void Look_alikes_have_the_same_skeleton(string a, string b) =>
        Assert.Equal(UnicodeTables.Skeleton(a), UnicodeTables.Skeleton(b));

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("bob", "rob")]
    [InlineData("Борис", "Борисс")]
    public void Different_names_have_different_skeletons(string a, string b) =>
        Assert.NotEqual(UnicodeTables.Skeleton(a), UnicodeTables.Skeleton(b));

    [Theory]
    [InlineData("alice")]
    [InlineData("Борис")]
    [InlineData("alice42")]
    [InlineData("山田タロウ")] // Han with Katakana: Japanese
    [InlineData("김철수")]
    [InlineData("नमस्ते")]
    public void One_script_or_one_writing_system_is_not_mixed(string text) => Assert.Null(UnicodeTables.MixedScripts(text));

    [Theory]
    [InlineData("\u0430lice", "Cyrillic and Latin")]
    [InlineData("\u03B1lpha", "Greek and Latin")]
    [InlineData("ab\uAC00", "Latin and Hangul")]
    public void Letters_of_two_scripts_are_mixed(string text, string scripts) =>
        Assert.Equal(scripts, string.Join(" and ", UnicodeTables.MixedScripts(text) ?? []));

    [Theory]
    [InlineData(0x034F)] // COMBINING GRAPHEME JOINER
    [InlineData(0xFE00)] // VARIATION SELECTOR-1
    [InlineData(0x200B)] // ZERO WIDTH SPACE
    [InlineData(0x200D)] // ZERO WIDTH JOINER
    [InlineData(0x00AD)] // SOFT HYPHEN
    [InlineData(0xE0100)] // VARIATION SELECTOR-17
    public void Invisible_code_points_are_default_ignorable(int codePoint) => Assert.True(UnicodeTables.IsDefaultIgnorable(codePoint));

    [Theory]
    [InlineData('a')]
    [InlineData(0x0301)]
    [InlineData(0x0430)]
    public void Visible_code_points_are_not(int codePoint) => Assert.False(UnicodeTables.IsDefaultIgnorable(codePoint));

    [Property(MaxTest = 500)]
    public bool Folding_twice_is_folding_once(string? text)
    {
        var once = UnicodeTables.Fold(text ?? "");
        return UnicodeTables.Fold(once) == once;
    }

    [Property(MaxTest = 500)]
    public bool A_skeleton_is_the_same_for_any_case(string? text)
    {
        text ??= "";
        return UnicodeTables.Skeleton(text.ToUpperInvariant()) == UnicodeTables.Skeleton(text.ToLowerInvariant());
    }
}
