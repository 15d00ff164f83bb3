using System.Text;
using Parley.Shared;
using Serilog.Core;
using Serilog.Events;

namespace Parley.Cli.Logging;

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
        // Runs for every event on the log writer's thread: nothing is allocated unless something must be escaped.
        Dictionary<string, LogEventPropertyValue>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name is "EventId" or "SourceContext")
            {
                continue; // set by the program, not by the network
            }

            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (changed ??= [])[name] = safe;
            }
        }

        var exception = logEvent.Exception is { } e && EscapedException.Needed(e) ? new EscapedException(e) : logEvent.Exception;
        if (changed is null && ReferenceEquals(exception, logEvent.Exception))
        {
            inner.Emit(logEvent);
            return;
        }

        var properties = new List<LogEventProperty>(logEvent.Properties.Count);
        foreach (var (name, value) in logEvent.Properties)
        {
            properties.Add(new LogEventProperty(name, changed is not null && changed.TryGetValue(name, out var safe) ? safe : value));
        }

        inner.Emit(new LogEvent(logEvent.Timestamp, logEvent.Level, exception, logEvent.MessageTemplate, properties));
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
                LogEventPropertyValue[]? elements = null;
                for (var i = 0; i < sequence.Elements.Count; i++)
                {
                    var element = Escape(sequence.Elements[i]);
                    if (!ReferenceEquals(element, sequence.Elements[i]))
                    {
                        (elements ??= [.. sequence.Elements])[i] = element;
                    }
                }

                return elements is null ? value : new SequenceValue(elements);
            case StructureValue structure:
                LogEventProperty[]? members = null;
                for (var i = 0; i < structure.Properties.Count; i++)
                {
                    var member = structure.Properties[i];
                    var escaped = Escape(member.Value);
                    if (!ReferenceEquals(escaped, member.Value))
                    {
                        (members ??= [.. structure.Properties])[i] = new LogEventProperty(member.Name, escaped);
                    }
                }

                return members is null ? value : new StructureValue(members, structure.TypeTag);
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
    /// An exception shown with every message in it escaped whole (a line break in a message is not the output's, and
    /// could forge a log line) and its stack traces line by line, in the shape of <see cref="Exception.ToString"/>.
    /// </summary>
    private sealed class EscapedException(Exception original) : Exception(TerminalText.Escape(original.Message))
    {
        /// <summary>Whether any message in <paramref name="e"/>'s tree, inner and aggregated ones included, is unsafe.</summary>
        public static bool Needed(Exception e) =>
            TerminalText.HasUnsafe(e.Message) || Inner(e).Any(Needed);

        public override string ToString()
        {
            var builder = new StringBuilder();
            Render(original, builder);
            return builder.ToString();
        }

        private static IEnumerable<Exception> Inner(Exception e) => e switch
        {
            AggregateException aggregate => aggregate.InnerExceptions,
            { InnerException: { } inner } => [inner],
            _ => [],
        };

        private static void Render(Exception e, StringBuilder builder)
        {
            builder.Append(e.GetType().FullName).Append(": ").Append(TerminalText.Escape(e.Message));
            foreach (var inner in Inner(e))
            {
                builder.Append("\n ---> ");
                Render(inner, builder);
                builder.Append("\n   --- End of inner exception stack trace ---");
            }

            foreach (var line in (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                builder.Append('\n').Append(TerminalText.Escape(line.TrimEnd('\r')));
            }
        }
    }
}
