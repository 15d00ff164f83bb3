using System.Runtime.InteropServices;

namespace Parley.Cli.Hosting;

/// <summary>
/// Maps Ctrl+C (SIGINT), SIGTERM and, for servers, <c>stop</c> typed on standard input to one stop request naming
/// its source. A request that arrives before anything is attached to act on it (a server still starting) is kept and
/// handed over on <see cref="Attach"/>, so a stop is never lost. A second signal while the first is being acted on
/// (a graceful stop that takes long) ends the process at once, with the signal's exit status (130 or 143).
/// </summary>
internal sealed class StopSources : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly Lock _gate = new();
    private Action<string>? _target;
    private string? _pending;
    private int _signals;

    private StopSources()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, "Ctrl+C (SIGINT)", 130));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, "signal SIGTERM", 143));
    }

    /// <summary>Listens for signals only, acting on them with <paramref name="requestStop"/>.</summary>
    public static StopSources Signals(Action<string> requestStop)
    {
        var sources = new StopSources();
        sources.Attach(requestStop);
        return sources;
    }

    /// <summary>
    /// Listens for signals and for <c>stop</c> on <paramref name="input"/> (read on a background thread); what acts on
    /// them comes later, with <see cref="Attach"/>.
    /// </summary>
    public static StopSources SignalsAndConsole(TextReader input, TextWriter hints)
    {
        var sources = new StopSources();
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
                        hints.WriteLine($"Unknown console command '{command}': type stop to stop the server.");
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
                return _pending is not null || _signals > 0;
            }
        }
    }

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
        if (Interlocked.Increment(ref _signals) > 1)
        {
            // Asked twice: the person does not want to wait for the graceful stop.
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
