using System.Runtime.InteropServices;

namespace Parley.Cli.Hosting;

/// <summary>
/// Maps Ctrl+C (SIGINT), SIGTERM and, for servers, <c>stop</c> typed on standard input to one stop request naming
/// its source.
/// </summary>
internal sealed class StopSources : IDisposable
{
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private StopSources(Action<string> requestStop)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            requestStop("Ctrl+C (SIGINT)");
        });
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            requestStop("signal SIGTERM");
        });
    }

    /// <summary>Listens for signals only.</summary>
    public static StopSources Signals(Action<string> requestStop) => new(requestStop);

    /// <summary>Listens for signals and for <c>stop</c> on <paramref name="input"/> (read on a background thread).</summary>
    public static StopSources SignalsAndConsole(Action<string> requestStop, TextReader input, TextWriter hints)
    {
        var sources = new StopSources(requestStop);
        var reader = new Thread(() =>
        {
            try
            {
                while (input.ReadLine() is { } line)
                {
                    var command = line.Trim();
                    if (command.Equals("stop", StringComparison.OrdinalIgnoreCase))
                    {
                        requestStop("the server console");
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

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }
}
