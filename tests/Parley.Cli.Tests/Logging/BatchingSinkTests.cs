using Parley.Cli.Logging;
using Parley.Echo;
using Parley.Tcp;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Parsing;

namespace Parley.Cli.Tests.Logging;

public sealed class BatchingSinkTests
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("event {N}");

    [Fact]
    public void The_echo_data_events_are_data_events_and_the_connection_events_are_not()
    {
        var captured = new CapturingSink();
        using var serilog = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(captured).CreateLogger();
        using var factory = new SerilogLoggerFactory(serilog);
        var logger = factory.CreateLogger("test");

        EchoLog.DataReceived(logger, 1, 5, "hello");
        EchoLog.DataSent(logger, 1, 5);
        TcpLog.StopRequested(logger, "test");

        Assert.Equal([true, true, false], captured.Events.Select(BatchingSink.IsDataEvent));
    }

    [Fact]
    public async Task Emit_never_waits_for_a_stuck_output_drops_only_data_events_and_says_how_many()
    {
        var inner = new CapturingSink { Gate = new ManualResetEventSlim(false) };
        var sink = new BatchingSink(inner, capacity: 100);

        // The output is stuck: a flood of data events and some service messages must all return at once.
        var emitting = Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                sink.Emit(Event(1100, i));
                if (i % 100 == 0)
                {
                    sink.Emit(Event(1002, i));
                }
            }
        });
        await emitting.WaitAsync(TimeSpan.FromSeconds(30));
        inner.Gate.Set();
        sink.Dispose();

        var events = inner.Events;
        var service = events.Where(e => !BatchingSink.IsDataEvent(e) && e.Level == LogEventLevel.Information).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 100), service.Select(N));
        var data = events.Count(BatchingSink.IsDataEvent);
        Assert.InRange(data, 1, 200);
        var warning = Assert.Single(events, e => e.Level == LogEventLevel.Warning);
        Assert.Equal(10_000 - data, (long)((ScalarValue)warning.Properties["Dropped"]).Value!);
        Assert.Equal("10000 data events were not logged: the log output did not keep up".Replace("10000", $"{10_000 - data}", StringComparison.Ordinal),
            warning.RenderMessage());
    }

    [Fact]
    public async Task Service_messages_past_the_last_resort_reserve_are_dropped_and_reported_as_an_error()
    {
        var inner = new CapturingSink { Gate = new ManualResetEventSlim(false) };
        var sink = new BatchingSink(inner, capacity: 10);
        var total = 10 + BatchingSink.Reserve + 500;

        await Task.Run(() =>
        {
            for (var i = 0; i < total; i++)
            {
                sink.Emit(Event(1002, i));
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));
        inner.Gate.Set();
        sink.Dispose();

        var error = Assert.Single(inner.Events, e => e.Level == LogEventLevel.Error);
        var kept = inner.Events.Count(e => e.Level == LogEventLevel.Information);
        Assert.Equal(total - kept, (long)((ScalarValue)error.Properties["Dropped"]).Value!);
        Assert.InRange(kept, BatchingSink.Reserve, BatchingSink.Reserve + 11);
    }

    [Fact]
    public async Task Events_from_many_threads_at_once_are_each_written_once()
    {
        var inner = new CapturingSink();
        var sink = new BatchingSink(inner, capacity: 1_000_000);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                sink.Emit(Event(i % 2 == 0 ? 1100 : 1002, (t * 5_000) + i));
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30));
        sink.Dispose();

        Assert.Equal(Enumerable.Range(0, 40_000), inner.Events.Select(N).Order());
    }

    [Fact]
    public void Nothing_is_dropped_while_the_output_keeps_up_and_order_is_kept()
    {
        var inner = new CapturingSink();
        var sink = new BatchingSink(inner, capacity: 100_000);

        for (var i = 0; i < 5_000; i++)
        {
            sink.Emit(Event(i % 2 == 0 ? 1100 : 1002, i));
        }

        sink.Dispose();

        Assert.Equal(Enumerable.Range(0, 5_000), inner.Events.Select(N));
    }

    [Fact]
    public async Task Dispose_gives_up_on_an_output_that_is_stuck_for_good()
    {
        var inner = new CapturingSink { Gate = new ManualResetEventSlim(false) };
        var sink = new BatchingSink(inner, capacity: 100);
        sink.Emit(Event(1002, 1));

        await Task.Run(sink.Dispose).WaitAsync(TimeSpan.FromSeconds(30));

        inner.Gate.Set();
    }

    private static LogEvent Event(int eventId, int n) => new(DateTimeOffset.Now, LogEventLevel.Information, null, Template,
    [
        new LogEventProperty("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(eventId))])),
        new LogEventProperty("N", new ScalarValue(n)),
    ]);

    private static int N(LogEvent e) => (int)((ScalarValue)e.Properties["N"]).Value!;

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public ManualResetEventSlim? Gate { get; init; }

        public List<LogEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            Gate?.Wait();
            lock (_events)
            {
                _events.Add(logEvent);
            }
        }
    }
}
