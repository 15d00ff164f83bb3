using Microsoft.Extensions.Logging;
using Parley.Cli.Logging;

namespace Parley.Cli.Tests.Logging;

public sealed class LoggingSetupTests
{
    [Theory]
    [InlineData(LogLevel.Information, LogLevel.Debug, false)]
    [InlineData(LogLevel.Information, LogLevel.Information, true)]
    [InlineData(LogLevel.Warning, LogLevel.Information, false)]
    [InlineData(LogLevel.Debug, LogLevel.Debug, true)]
    [InlineData(LogLevel.None, LogLevel.Critical, false)]
    public void A_level_below_the_chosen_one_is_not_enabled_so_hot_paths_skip_building_it(LogLevel chosen, LogLevel asked, bool enabled)
    {
        using var factory = LoggingSetup.Create(new LoggingSettings(chosen, null, false, LogFormat.Text, 10_000_000));

        var logger = factory.CreateLogger("Parley.Test");

        Assert.Equal(enabled, logger.IsEnabled(asked));
    }
}
