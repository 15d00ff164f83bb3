using Serilog.Core;
using Serilog.Events;

namespace Parley.Cli.Hosting;

/// <summary>Flattens Microsoft.Extensions.Logging's <c>EventId</c> into an <c>EventName</c> for text lines.</summary>
internal sealed class EventNameEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        string? name = null;
        if (logEvent.Properties.TryGetValue("EventId", out var value) && value is StructureValue structure)
        {
            foreach (var property in structure.Properties)
            {
                if (property.Value is ScalarValue { Value: { } v } && (property.Name == "Name" || name is null))
                {
                    name = v.ToString();
                }
            }
        }

        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("EventName", name ?? "-"));
        var connection = logEvent.Properties.TryGetValue("ConnectionId", out var id) ? $" [conn {id}]" : "";
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ConnectionTag", connection));
    }
}
