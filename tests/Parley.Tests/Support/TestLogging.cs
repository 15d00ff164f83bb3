using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Parley.Tests.Support;

internal static class TestLogging
{
    /// <summary>A logger factory that records every event, Debug and up, for assertions.</summary>
    public static (ILoggerFactory Factory, FakeLogCollector Logs) Create()
    {
        var collector = new FakeLogCollector();
        var factory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Debug);
            builder.AddProvider(new FakeLoggerProvider(collector));
        });
        return (factory, collector);
    }

    public static IReadOnlyList<FakeLogRecord> Events(this FakeLogCollector logs, string eventName) =>
        logs.GetSnapshot().Where(r => r.Id.Name == eventName).ToList();

    public static bool Has(this FakeLogCollector logs, string eventName, Func<FakeLogRecord, bool>? where = null) =>
        logs.GetSnapshot().Any(r => r.Id.Name == eventName && (where?.Invoke(r) ?? true));
}
