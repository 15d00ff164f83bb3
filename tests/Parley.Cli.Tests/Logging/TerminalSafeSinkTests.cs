using System.Globalization;
using Parley.Cli.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Parley.Cli.Tests.Logging;

public sealed class TerminalSafeSinkTests
{
    private const string Hostile = "\u001b]0;owned\u0007\u001b[2J\r\n00:00:00.000 INF forged \u202eevil";

    [Fact]
    public void Strings_from_the_network_reach_a_text_output_escaped()
    {
        var text = Render(Event(Hostile), new MessageTemplateTextFormatter("{Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture));

        Assert.Equal("name \\x1b]0;owned\\x07\\x1b[2J\\r\\n00:00:00.000 INF forged \\u202eevil\n", text);
    }

    [Fact]
    public void Strings_from_the_network_reach_a_json_output_escaped()
    {
        var json = Render(Event(Hostile), new RenderedCompactJsonFormatter());

        Assert.DoesNotContain("\\u001b", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202e", json, StringComparison.Ordinal);
        Assert.Contains("\\\\x1b]0;owned", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_quoting_input_is_escaped_but_keeps_its_stack_trace_lines()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("bad name '" + Hostile + "'");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var text = Render(Event("x", thrown), new MessageTemplateTextFormatter("{Exception}", CultureInfo.InvariantCulture));

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain("\n00:00:00.000", text, StringComparison.Ordinal);
        Assert.Contains("bad name '\\x1b]0;owned", text, StringComparison.Ordinal);
        Assert.Contains("\n   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_whose_message_holds_only_a_line_break_cannot_forge_a_log_line()
    {
        var text = Render(Event("x", Thrown(new InvalidOperationException("bad name 'x\n00:00:00.000 INF forged'"))),
            new MessageTemplateTextFormatter("{Exception}", CultureInfo.InvariantCulture));

        Assert.DoesNotContain("\n00:00:00.000", text, StringComparison.Ordinal);
        Assert.Contains("bad name 'x\\n00:00:00.000 INF forged'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_message_of_an_aggregate_exception_is_escaped()
    {
        var aggregate = new AggregateException(new IOException("first"), new IOException("second\r\n00:00:00.000 INF forged"));

        var text = Render(Event("x", aggregate), new MessageTemplateTextFormatter("{Exception}", CultureInfo.InvariantCulture));

        Assert.DoesNotContain("\n00:00:00.000", text, StringComparison.Ordinal);
        Assert.Contains("second\\r\\n00:00:00.000 INF forged", text, StringComparison.Ordinal);
        Assert.Contains("first", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_with_nothing_to_escape_passes_through_as_it_is()
    {
        var inner = new Capture();
        var logEvent = Event("alice");

        new TerminalSafeSink(inner).Emit(logEvent);

        Assert.Same(logEvent, inner.Last);
    }

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    private static LogEvent Event(string name, Exception? exception = null) =>
        new(DateTimeOffset.Now, LogEventLevel.Information, exception, new MessageTemplateParser().Parse("name {Name}"),
            [new LogEventProperty("Name", new ScalarValue(name))]);

    private static string Render(LogEvent logEvent, Serilog.Formatting.ITextFormatter formatter)
    {
        var inner = new Capture();
        new TerminalSafeSink(inner).Emit(logEvent);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        formatter.Format(inner.Last!, writer);
        return writer.ToString().Replace(Environment.NewLine, "\n", StringComparison.Ordinal);
    }

    private sealed class Capture : ILogEventSink
    {
        public LogEvent? Last { get; private set; }

        public void Emit(LogEvent logEvent) => Last = logEvent;
    }
}
