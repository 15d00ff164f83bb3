using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Parley.Chat;

namespace Parley.Tests.Chat;

public sealed class NicknamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("Ünal-42")]
    [InlineData("李小龙")]
    [InlineData("नमस्ते")]
    [InlineData("_-_")]
    [InlineData("٣٤")]
    public void Letters_digits_underscore_and_hyphen_of_any_script_are_valid(string nickname) => Assert.True(Nicknames.IsValid(nickname));

    [Theory]
    [InlineData("", "a nickname cannot be empty: use 1 to 32 letters, digits, _ or -")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "a nickname is at most 32 characters, not 33")]
    [InlineData("bob smith", "'a space' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    [InlineData("bob!", "'!' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    [InlineData("\u0301a", "'U+0301' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    [InlineData("a\tb", "'U+0009' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    [InlineData("🎉", "'🎉' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
    public void Anything_else_is_refused_with_the_reason(string nickname, string problem) => Assert.Equal(problem, Nicknames.Problem(nickname));

    [Fact]
    public void The_length_counts_code_points()
    {
        Assert.True(Nicknames.IsValid(string.Concat(Enumerable.Repeat("𝒜", 32))));
        Assert.False(Nicknames.IsValid(string.Concat(Enumerable.Repeat("𝒜", 33))));
    }

    [Theory]
    [InlineData("alice", "ALICE")]
    [InlineData("Борис", "бОРИС")]
    [InlineData("Ünal", "üNAL")]
    [InlineData("Kate", "\u212Aate")] // KELVIN SIGN folds to k
    [InlineData("\u00C5sa", "\u212Bsa")] // ANGSTROM SIGN folds to å
    [InlineData("\u03A9", "\u2126")] // OHM SIGN folds to ω
    [InlineData("stra\u00DFe", "STRA\u1E9EE")] // capital sharp s folds to ß
    [InlineData("\U00010400", "\U00010428")] // Deseret, beyond the BMP
    public void Nicknames_are_the_same_ignoring_case(string a, string b) => Assert.True(Nicknames.Comparer.Equals(a, b));

    [Theory]
    [InlineData("alice\u034F", "U+034F is invisible and cannot be part of a nickname")]
    [InlineData("alice\uFE00", "U+FE00 is invisible and cannot be part of a nickname")]
    [InlineData("al\u200Bice", "U+200B is invisible and cannot be part of a nickname")]
    [InlineData("\u0430lice", "it mixes scripts (Cyrillic and Latin): use the letters of one")]
    [InlineData("alic\u0435", "it mixes scripts (Latin and Cyrillic): use the letters of one")]
    [InlineData("e\u0301\u0301", "the mark U+0301 is repeated")]
    public void Invisible_characters_and_mixed_scripts_are_refused(string nickname, string problem) =>
        Assert.Equal(problem, Nicknames.Problem(nickname));

    [Theory]
    [InlineData("ａｌｉｃｅ")] // fullwidth
    [InlineData("a1ice")]
    [InlineData("\u1D43lice")] // MODIFIER LETTER SMALL A
    public void Names_that_look_like_alice_are_the_same_as_alice(string nickname) => Assert.True(Nicknames.Comparer.Equals("alice", nickname));

    [Property(Arbitrary = [typeof(AsciiNicknames)], MaxTest = 300)]
    public bool An_ascii_nickname_is_the_same_as_its_upper_case_and_fullwidth_forms(string nickname) =>
        Nicknames.IsValid(nickname)
        && Nicknames.Comparer.Equals(nickname, nickname.ToUpperInvariant())
        && Nicknames.Comparer.Equals(nickname, new string(nickname.Select(c => (char)(c + 0xFEE0)).ToArray()))
        && Nicknames.Comparer.GetHashCode(nickname) == Nicknames.Comparer.GetHashCode(nickname.ToUpperInvariant());

    [Property(Arbitrary = [typeof(AsciiNicknames)], MaxTest = 300)]
    public bool An_invisible_character_anywhere_makes_a_nickname_invalid(string nickname, PositiveInt at, bool joiner)
    {
        var position = at.Get % (nickname.Length + 1);
        return !Nicknames.IsValid(nickname.Insert(position, joiner ? "\u034F" : "\uFE0F"));
    }

    [Property(Arbitrary = [typeof(AsciiNicknames)], MaxTest = 300)]
    public bool Cyrillic_look_alikes_make_a_latin_name_mixed_or_the_same(string nickname)
    {
        var swapped = new string(nickname.Select(c => c switch { 'a' => '\u0430', 'e' => '\u0435', 'o' => '\u043E', 'c' => '\u0441', 'p' => '\u0440', 'x' => '\u0445', _ => c }).ToArray());
        if (swapped == nickname)
        {
            return true;
        }

        var latinLeft = swapped.Any(char.IsAsciiLetter);
        return latinLeft
            ? Nicknames.Problem(swapped)!.StartsWith("it mixes scripts", StringComparison.Ordinal)
            : Nicknames.IsValid(swapped) && Nicknames.Comparer.Equals(nickname, swapped);
    }

    /// <summary>Nicknames of ASCII letters, digits, <c>_</c> and <c>-</c>, 1 to 32 of them.</summary>
    public static class AsciiNicknames
    {
        public static Arbitrary<string> Nicknames() =>
            (from first in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())
             from rest in Gen.ListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".ToCharArray()))
             select first + new string(rest.Take(31).ToArray())).ToArbitrary();
    }
}
