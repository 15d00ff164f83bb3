using System.Text;
using Parley.Shared;

namespace Parley.Tests.Shared;

public sealed class DataPreviewTests
{
    [Theory]
    [InlineData("hello\n", "hello\\n")]
    [InlineData("tab\there\r\n", "tab\\there\\r\\n")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("Привет", "Привет")]
    [InlineData("smile 😀 ok", "smile 😀 ok")]
    [InlineData("bell\a", "bell\\x07")]
    public void Text_is_shown_as_is_and_control_characters_escaped(string text, string expected)
    {
        Assert.Equal(expected, DataPreview.Of(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_shown_as_hex_escapes()
    {
        Assert.Equal("a\\xffb", DataPreview.Of([(byte)'a', 0xff, (byte)'b']));
    }

    [Fact]
    public void Long_data_is_cut_with_an_ellipsis()
    {
        var preview = DataPreview.Of(Encoding.ASCII.GetBytes(new string('x', 100)), maxChars: 10);

        Assert.Equal(new string('x', 10) + "…", preview);
    }
}
