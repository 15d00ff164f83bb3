using System.Reflection;
using Microsoft.Extensions.Logging;
using Parley.Hosting;

namespace Parley.Tests.Hosting;

/// <summary>
/// The log pipeline batches and, under pressure, drops exactly the events <see cref="DataEvents"/> names: every event
/// that reports bytes, messages or datagrams received or sent must be named there, and nothing else may be.
/// </summary>
public sealed class DataEventsTests
{
    [Fact]
    public void Every_received_or_sent_event_of_the_library_is_a_data_event_and_no_other_is()
    {
        var events = typeof(DataEvents).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        // "Received 6 bytes from client 1", "Sent a message of 5 bytes to ...", "Received answer (51 bytes) from ...";
        // not a warning about bad bytes received, nor "Sent /ping" (a keep-alive).
        var reportsData = events.Where(e => (e.Message.StartsWith("Received ", StringComparison.Ordinal)
                || e.Message.StartsWith("Sent ", StringComparison.Ordinal))
                && e.Message.Contains("{Bytes} bytes", StringComparison.Ordinal) && e.Level <= LogLevel.Information)
            .Select(e => e.EventId).Order().ToList();

        Assert.NotEmpty(reportsData);
        Assert.Equal(reportsData, events.Select(e => e.EventId).Where(DataEvents.Contains).Order());
    }

    [Fact]
    public void Data_events_are_logged_at_information_so_the_lab_sees_them_by_default()
    {
        var levels = typeof(DataEvents).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Where(e => DataEvents.Contains(e.EventId))
            .Select(e => (e.EventId, e.Level));

        Assert.All(levels, e => Assert.Equal(LogLevel.Information, e.Level));
    }
}
