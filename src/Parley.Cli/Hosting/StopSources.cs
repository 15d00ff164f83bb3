using System.Runtime.InteropServices;

namespace Parley.Cli.Hosting;

/// <summary>
/// Maps Ctrl+C (SIGINT), SIGTERM and, for servers, <c>stop</c> typed on standard input to one stop request naming
/// its source. A request that arrives before anything is attached to act on it (a server still starting) is kept and
/// handed over on <see cref="Attach"/>, so a stop is never lost. For a server, a second signal at least
/// <see cref="SecondSignalAfter"/> after the first (a graceful stop that takes long; not one Ctrl+C delivered twice by a
/// wrapper) ends the process at once with the signal's exit status (130 or 143), after flushing the log for at most a
/// second (<see cref="BeforeForcedExit"/>).
/// </summary>
internal sealed class StopSources : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private static readonly TimeSpan SecondSignalAfter = TimeSpan.FromMilliseconds(500);
    private readonly Lock _gate = new();
    private readonly bool _secondSignalExits;
    private Action<string>? _target;
    private string? _pending;
    private long _firstSignalAt;

    private StopSources(bool secondSignalExits)
    {
        _secondSignalExits = secondSignalExits;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, "Ctrl+C (SIGINT)", 130));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, "signal SIGTERM", 143));
    }

    /// <summary>Listens for signals only, acting on them with <paramref name="requestStop"/>.</summary>
    public static StopSources Signals(Action<string> requestStop)
    {
        var sources = new StopSources(secondSignalExits: false);
        sources.Attach(requestStop);
        return sources;
    }

    /// <summary>
    /// Listens for signals and for <c>stop</c> on <paramref name="input"/> (read on a background thread); what acts on
    /// them comes later, with <see cref="Attach"/>.
    /// </summary>
    public static StopSources SignalsAndConsole(TextReader input, TextWriter hints)
    {
        var sources = new StopSources(secondSignalExits: true);
        var reader = new Thread(() =>
        {
            try
            {
                while (input.ReadLine() is { } line)
                {
                    var command = line.Trim();
                    if (command.Equals("stop", StringComparison.OrdinalIgnoreCase))
                    {
                        sources.Request("the server console");
                        return;
                    }

                    if (command.Length > 0)
                    {
                        hints.WriteLine($"Unknown console command '{Parley.Shared.TerminalText.Escape(command)}': type stop to stop the server.");
                    }
                }
            }
            catch (IOException)
            {
                // Standard input broke: there is simply no console to listen to.
            }
        })
        {
            IsBackground = true,
            Name = "parley console",
        };
        reader.Start();
        return sources;
    }

    /// <summary>Whether a stop has been asked for.</summary>
    public bool Requested
    {
        get
        {
            lock (_gate)
            {
                return _pending is not null || _firstSignalAt != 0;
            }
        }
    }

    /// <summary>Run, for at most a second, before a second signal ends the process: flushing the log.</summary>
    public Action? BeforeForcedExit { get; set; }

    /// <summary>From now on stop requests go to <paramref name="requestStop"/>; one made before goes there at once.</summary>
    public void Attach(Action<string> requestStop)
    {
        string? pending;
        lock (_gate)
        {
            _target = requestStop;
            pending = _pending;
        }

        if (pending is not null)
        {
            requestStop(pending);
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private void OnSignal(PosixSignalContext context, string requestedBy, int exitCode)
    {
        context.Cancel = true;
        var now = Environment.TickCount64;
        var first = Interlocked.CompareExchange(ref _firstSignalAt, now, 0);
        if (first != 0 && _secondSignalExits && now - first >= (long)SecondSignalAfter.TotalMilliseconds)
        {
            // Asked again: the person does not want to wait for the graceful stop. What was logged is flushed first,
            // within a bound: an output that is stuck must not keep the process alive.
            if (BeforeForcedExit is { } flush)
            {
                Task.Run(flush).Wait(TimeSpan.FromSeconds(1));
            }

            Environment.Exit(exitCode);
        }

        Request(requestedBy);
    }

    private void Request(string requestedBy)
    {
        Action<string>? target;
        lock (_gate)
        {
            target = _target;
            if (target is null)
            {
                _pending ??= requestedBy;
                return;
            }
        }

        target(requestedBy);
    }
}
