using System.Text;
using Parley.Shared;

namespace Parley.Tests.Shared;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Привет, мир", "Привет, мир")]
    [InlineData("a\u001b[2Jb", "a\\x1b[2Jb")]
    [InlineData("line\r\nforged", "line\\r\\nforged")]
    [InlineData("bell\u0007", "bell\\x07")]
    [InlineData("abc\u202eevil", "abc\\u202eevil")]
    [InlineData("iso\u2066x\u2069", "iso\\u2066x\\u2069")]
    [InlineData("c1 \u009b", "c1 \\x9b")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("admin\u200b", "admin\\u200b")] // zero-width space: invisible, so a look-alike in a log
    [InlineData("a\u00adb\u2060c", "a\\xadb\\u2060c")] // soft hyphen, word joiner
    public void Escape_writes_every_unsafe_character_as_an_escape_and_keeps_the_rest(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Escape_returns_the_same_string_when_there_is_nothing_to_escape()
    {
        const string text = "nothing to see here: ü, 日本";

        Assert.Same(text, TerminalText.Escape(text));
    }

    [Fact]
    public void Nothing_that_escape_returns_holds_an_unsafe_character()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2_000; i++)
        {
            var chars = Enumerable.Range(0, 16).Select(_ => (char)random.Next(0, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray();

            var escaped = TerminalText.Escape(new string(chars));

            Assert.False(TerminalText.HasUnsafe(escaped), escaped);
        }
    }

    [Fact]
    public void A_preview_escapes_unsafe_characters_and_bytes_that_are_not_text_and_says_when_it_was_cut() =>
        Assert.Equal("a\\x1b\\xff\\\\b…", TerminalText.Preview([(byte)'a', 0x1b, 0xff, (byte)'\\', (byte)'b', (byte)'c'], 12));

    [Fact]
    public void Preview_and_escape_agree_on_what_is_unsafe()
    {
        const string text = "x\u001b\u0085\u2028\u200fy";

        Assert.Equal(TerminalText.Escape(text), TerminalText.Preview(Encoding.UTF8.GetBytes(text), 100));
    }
}
