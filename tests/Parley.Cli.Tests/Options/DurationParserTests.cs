using Parley.Cli.Options;

namespace Parley.Cli.Tests.Options;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1ms", 1)]
    [InlineData("1.5s", 1500)]
    [InlineData("2", 2000)]
    [InlineData("2m", 120_000)]
    [InlineData("720h", 2_592_000_000)]
    public void Durations_are_read_in_their_unit(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out _));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(1, "1ms")]
    [InlineData(1500, "1500ms")]
    [InlineData(5000, "5s")]
    [InlineData(90_000, "90s")]
    [InlineData(300_000, "5m")]
    [InlineData(28_800_000, "8h")]
    public void A_duration_is_shown_as_it_is_written_and_reads_back_the_same(double milliseconds, string shown)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(shown, new Duration(duration).ToString());
        Assert.True(DurationParser.TryParse(shown, out var read, out _));
        Assert.Equal(duration, read);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.5ms")]
    [InlineData("721h")]
    [InlineData("2000h")]
    public void Durations_a_timer_cannot_take_are_out_of_range(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var reason));

        Assert.Equal($"'{text}' is out of range: give a duration from 1 ms to 30 days", reason);
    }
}
