using System.CommandLine;
using Parley.Cli.Options;

namespace Parley.Cli.Tests.Options;

public sealed class SizeOptionTests
{
    [Theory]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("10MB", 10_000_000L)]
    [InlineData("512 kb", 512_000L)]
    [InlineData("1GB", 1_000_000_000L)]
    [InlineData("1KB", 1_000L)]
    public void A_size_is_bytes_or_a_number_with_KB_MB_or_GB(string text, long expected)
    {
        Assert.True(OptionFactory.TryParseSize(text, out var size));
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("12XB")]
    [InlineData("-5MB")]
    [InlineData("99999999999GB")]
    [InlineData("")]
    public void Anything_else_or_under_1KB_is_not_a_size(string text) => Assert.False(OptionFactory.TryParseSize(text, out _));

    [Theory]
    [InlineData(false, "0", "--max: '0' is not a size: use for example 1MB")]
    [InlineData(true, "0", null)]
    [InlineData(true, "7", "--max: '7' is not a size: use for example 1MB")]
    [InlineData(false, "2MB", null)]
    public void The_option_says_in_one_line_what_it_takes_and_takes_0_only_where_0_means_unlimited(bool zero, string given, string? error)
    {
        var command = new RootCommand { OptionFactory.Size("--max", "test", "1MB", "1MB", zeroMeansUnlimited: zero) };

        var errors = command.Parse(["--max", given]).Errors.Select(e => e.Message).ToList();

        Assert.Equal(error is null ? [] : [error], errors);
    }
}
