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
        Assert.All(reportsData, id => Assert.True(DataEvents.Contains(id), $"event {id} reports data but is not in DataEvents"));
        Assert.All(events.Where(e => DataEvents.Contains(e.EventId) && !reportsData.Contains(e.EventId)),
            e => Assert.Contains(e.EventId, PerDatagramFromAnyone));
    }

    // The chat's once-per-datagram events that any sender can cause, and the dialog's echo: droppable, whatever their level.
    private static readonly int[] PerDatagramFromAnyone = [1504, 1505, 1506, 1507, 1508, 1514, 1515, 1517, 1357];

    [Fact]
    public void Data_events_are_logged_at_information_so_the_lab_sees_them_by_default()
    {
        var levels = typeof(DataEvents).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Where(e => DataEvents.Contains(e.EventId) && !PerDatagramFromAnyone.Contains(e.EventId))
            .Select(e => (e.EventId, e.Level));

        Assert.All(levels, e => Assert.Equal(LogLevel.Information, e.Level));
    }
}
