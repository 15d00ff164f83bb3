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
    [InlineData("\u0301a", "'\u0301' cannot be part of a nickname: use 1 to 32 letters, digits, _ or -")]
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
}
