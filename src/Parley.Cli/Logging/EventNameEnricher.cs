using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace Parley.Cli.Logging;

/// <summary>Flattens Microsoft.Extensions.Logging's <c>EventId</c> into an <c>EventName</c> for text lines.</summary>
internal sealed class EventNameEnricher : ILogEventEnricher
{
    // Event names are a small fixed set: one immutable property each, instead of one per logged event.
    private static readonly ConcurrentDictionary<string, LogEventProperty> Names = new(StringComparer.Ordinal);
    private static readonly LogEventProperty NoName = new("EventName", new ScalarValue("-"));
    private static readonly LogEventProperty NoConnection = new("ConnectionTag", new ScalarValue(""));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        string? name = null;
        if (logEvent.Properties.TryGetValue("EventId", out var value) && value is StructureValue structure)
        {
            foreach (var property in structure.Properties)
            {
                if (property.Value is ScalarValue { Value: { } v } && (property.Name == "Name" || name is null))
                {
                    name = v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture);
                }
            }
        }

        logEvent.AddPropertyIfAbsent(name is null
            ? NoName
            : Names.GetOrAdd(name, static n => new LogEventProperty("EventName", new ScalarValue(n))));
        logEvent.AddPropertyIfAbsent(logEvent.Properties.TryGetValue("ConnectionId", out var id)
            ? new LogEventProperty("ConnectionTag", new ScalarValue(id is ScalarValue { Value: long n }
                ? string.Create(CultureInfo.InvariantCulture, $" [conn {n}]")
                : $" [conn {id}]"))
            : NoConnection);
    }
}
