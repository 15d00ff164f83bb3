using Parley.Shared;
using Serilog.Core;
using Serilog.Events;

namespace Parley.Cli.Hosting;

/// <summary>
/// The backstop in front of every log output, text or JSON, console or file: any string in an event's properties or
/// exception that holds a character unsafe on a terminal (<see cref="TerminalText"/>) is escaped before the output
/// sees it, so input quoted by code that forgot to escape it still cannot clear a screen, retitle a terminal or forge
/// a log line. Events with nothing to escape pass through as they are; it runs on the log writer's thread.
/// </summary>
internal sealed class TerminalSafeSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        var exception = logEvent.Exception is { } e && TerminalText.HasUnsafe(EscapedException.WithoutLineBreaks(e.ToString()))
            ? new EscapedException(e)
            : logEvent.Exception;
        if (changed is null && ReferenceEquals(exception, logEvent.Exception))
        {
            inner.Emit(logEvent);
            return;
        }

        var properties = logEvent.Properties.ToDictionary(p => p.Key, p => p.Value);
        foreach (var property in changed ?? [])
        {
            properties[property.Name] = property.Value;
        }

        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, logEvent.MessageTemplate,
            properties.Select(p => new LogEventProperty(p.Key, p.Value))));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var safe = TerminalText.Escape(text);
                return ReferenceEquals(safe, text) ? value : new ScalarValue(safe);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Escape).ToArray();
                return elements.SequenceEqual(sequence.Elements) ? value : new SequenceValue(elements);
            case StructureValue structure:
                var members = structure.Properties.Select(p => (p, Value: Escape(p.Value))).ToArray();
                return members.All(m => ReferenceEquals(m.Value, m.p.Value))
                    ? value
                    : new StructureValue(members.Select(m => new LogEventProperty(m.p.Name, m.Value)), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(kv => (Key: (ScalarValue)Escape(kv.Key), Value: Escape(kv.Value))).ToArray();
                return entries.Zip(dictionary.Elements).All(x => ReferenceEquals(x.First.Key, x.Second.Key) && ReferenceEquals(x.First.Value, x.Second.Value))
                    ? value
                    : new DictionaryValue(entries.Select(x => new KeyValuePair<ScalarValue, LogEventPropertyValue>(x.Key, x.Value)));
            default:
                return value;
        }
    }

    /// <summary>
    /// An exception shown with its messages escaped whole and its stack trace's other lines escaped line by line: the
    /// line breaks of a stack trace are the output's own, a line break inside a message is not.
    /// </summary>
    private sealed class EscapedException(Exception original) : Exception(TerminalText.Escape(original.Message))
    {
        public override string ToString()
        {
            var text = original.ToString();
            for (var e = original; e is not null; e = e.InnerException)
            {
                if (e.Message.Length > 0 && TerminalText.HasUnsafe(e.Message))
                {
                    text = text.Replace(e.Message, TerminalText.Escape(e.Message), StringComparison.Ordinal);
                }
            }

            return string.Join('\n', text.Split('\n').Select(line => TerminalText.Escape(line.TrimEnd('\r'))));
        }

        public static string WithoutLineBreaks(string text) => text.Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }
}
