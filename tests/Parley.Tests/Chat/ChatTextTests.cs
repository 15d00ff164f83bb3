using System.Text;
using Parley.Chat;

namespace Parley.Tests.Chat;

public sealed class ChatTextTests
{
    [Theory]
    [InlineData("hello")]
    [InlineData("Привет, мир")]
    [InlineData("emoji 🎉 and CJK 你好")]
    [InlineData("  spaces are fine  ")]
    public void Ordinary_text_of_any_script_can_be_sent(string text) => Assert.Null(ChatText.Problem(text));

    [Fact]
    public void The_limit_counts_UTF8_bytes_not_characters()
    {
        var fits = new string('я', ChatProtocol.MaxDatagramBytes / 2);
        var over = fits + "x";

        Assert.Null(ChatText.Problem(fits));
        Assert.Equal("too long: 1201 bytes of UTF-8, at most 1200 fit in one datagram", ChatText.Problem(over));
    }

    [Theory]
    [InlineData("a\tb", "tab")]
    [InlineData("a\nb", "line feed")]
    [InlineData("a\u001b[31mred", "escape")]
    [InlineData("a\u007f", "U+007F")]
    [InlineData("a\u0085", "U+0085")]
    [InlineData("a\u2028b", "U+2028")]
    [InlineData("abc\u202Egnp.exe", "U+202E")]
    [InlineData("a\u2066b", "U+2066")]
    public void Control_characters_are_named_in_the_reason(string text, string name) =>
        Assert.Equal($"it holds a control character ({name}), which the chat does not carry", ChatText.Problem(text));

    [Theory]
    [InlineData("hi", "hi")]
    [InlineData("hi\n", "hi")]
    [InlineData("hi\r\n", "hi")]
    [InlineData("\n", "")]
    public void One_trailing_LF_or_CRLF_is_not_part_of_the_text(string datagram, string text)
    {
        Assert.True(ChatText.TryDecode(Encoding.UTF8.GetBytes(datagram), out var decoded, out _));
        Assert.Equal(text, decoded);
    }

    [Theory]
    [InlineData("hi\n\n")]
    [InlineData("hi\r")]
    [InlineData("hi\n\r\n")]
    public void More_than_one_line_ending_is_a_control_character(string datagram)
    {
        Assert.False(ChatText.TryDecode(Encoding.UTF8.GetBytes(datagram), out _, out var control));
        Assert.NotNull(control);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0x68, 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xFF })]
    public void Overlong_forms_surrogates_truncated_sequences_and_stray_bytes_are_not_UTF8(byte[] datagram)
    {
        Assert.False(ChatText.TryDecode(datagram, out _, out var control));
        Assert.Null(control);
    }

    [Fact]
    public void Printable_replaces_what_could_steer_a_terminal()
    {
        Assert.Equal("a\uFFFD[2Jb\uFFFD", ChatText.Printable("a\u001b[2Jb\u202E"));
        Assert.Same("plain", ChatText.Printable("plain"));
    }
}
