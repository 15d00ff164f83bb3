using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Cli.Tests.Support;

/// <summary>
/// The built <c>parley</c> program running as a child process, with standard input piped and standard output and
/// error captured byte for byte. Configuration and data folders point into a fresh temporary folder, so tests never
/// touch the real home directory.
/// </summary>
internal sealed partial class ParleyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly Task _pumps;
    private readonly Lock _lock = new();
    private readonly bool _ownsHome;
    private int _disposed;

    private ParleyProcess(Process process, string home, bool ownsHome)
    {
        _process = process;
        Home = home;
        _ownsHome = ownsHome;
        _pumps = Task.WhenAll(
            Pump(process.StandardOutput.BaseStream, _stdout),
            Pump(process.StandardError.BaseStream, _stderr));
    }

    /// <summary>
    /// The program under test: <c>$PARLEY_EXE</c> when set (.ci/run sets it to the native binary for a second run of
    /// this suite), else the JIT build beside the tests.
    /// </summary>
    public static string Executable { get; } = Environment.GetEnvironmentVariable("PARLEY_EXE") is { Length: > 0 } named
        ? Path.GetFullPath(named)
        : typeof(ParleyProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ParleyExecutable").Value!;

    /// <summary>The temporary folder used as home, configuration and data folder.</summary>
    public string Home { get; }

    public int Id => _process.Id;

    public StreamWriter Input => _process.StandardInput;

    public byte[] StandardOutputBytes
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToArray();
            }
        }
    }

    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

    public string StandardError
    {
        get
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(_stderr.ToArray());
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ParleyProcess Start(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null,
        string? workingDirectory = null, string? home = null) =>
        Start(Executable, [], arguments, environment, workingDirectory, home);

    /// <summary>Runs parley under another program, e.g. <c>setpriv ... -- parley ...</c> or <c>ip netns exec ns parley ...</c>.</summary>
    public static ParleyProcess StartWrapped(string wrapper, IEnumerable<string> wrapperArguments, IEnumerable<string> arguments,
        IDictionary<string, string?>? environment = null, string? home = null, string? program = null) =>
        Start(wrapper, [.. wrapperArguments, program ?? Executable], arguments, environment, null, home);

    /// <summary>
    /// Runs <paramref name="pipeline"/> in bash with no standard input, <c>{parley}</c> in it standing for parley with
    /// <paramref name="arguments"/>: for what only a shell arranges (pipes into <c>head</c>, <c>&gt; /dev/full</c>).
    /// </summary>
    public static ParleyProcess StartInShell(string pipeline, params string[] arguments)
    {
        var process = StartWrapped("bash", ["-c", pipeline.Replace("{parley}", "\"$0\" \"$@\"", StringComparison.Ordinal)], arguments);
        process.Input.Close();
        return process;
    }

    private static ParleyProcess Start(string program, IEnumerable<string> prefix, IEnumerable<string> arguments,
        IDictionary<string, string?>? environment, string? workingDirectory, string? home)
    {
        var ownsHome = home is null;
        home ??= Directory.CreateTempSubdirectory("parley-test-").FullName;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? home,
        };
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(home, "data");
        start.Environment.Remove("PARLEY_HOST");
        start.Environment.Remove("PARLEY_PORT");
        start.Environment.Remove("PARLEY_DB");
        start.Environment.Remove("PGPASSWORD");
        start.Environment.Remove("PGPASSFILE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // No debugger pipes or diagnostics socket (clr-debug-pipe-*, dotnet-diagnostic-* in /tmp): the runtime removes
        // them at a normal exit, but a process the test kills leaves all three behind. A test that watches parley with
        // dotnet-counters sets it back to 1 through environment.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("parley did not start");
        return new ParleyProcess(process, home, ownsHome);
    }

    public static ParleyProcess Start(params string[] arguments) => Start((IEnumerable<string>)arguments);

    /// <summary>
    /// Starts <c>parley</c> inside a network namespace: <c>ip netns exec</c> enters it and then execs parley, so the
    /// process id stays parley's.
    /// </summary>
    public static ParleyProcess StartIn(string networkNamespace, params string[] arguments) =>
        StartWrapped("ip", ["netns", "exec", networkNamespace], arguments);

    /// <summary>Runs to the end with the given standard input, and returns the exit code.</summary>
    public static async Task<(int ExitCode, ParleyProcess Process)> RunAsync(string input, CancellationToken cancellationToken, params string[] arguments)
    {
        var process = Start(arguments);
        try
        {
            await process.GiveInputAsync(input);
            return (await process.WaitForExitAsync(cancellationToken), process);
        }
        catch
        {
            // The caller never gets the process to dispose: kill it here, or a parley that hangs outlives the test run.
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="input"/> to standard input and closes it. parley may end without reading it, as with a
    /// usage error found before it reads (the native binary can exit before the write): a broken pipe is then no
    /// failure, and what it printed and its exit code are the answer.
    /// </summary>
    public async Task GiveInputAsync(string input)
    {
        try
        {
            await Input.WriteAsync(input);
            await Input.FlushAsync();
        }
        catch (IOException)
        {
            // parley is gone; closing below still releases the pipe.
        }

        try
        {
            Input.Close();
        }
        catch (IOException)
        {
            // The close flushes what the failed write left in the buffer, into the same closed pipe.
        }
    }

    /// <summary>Waits for a line of standard output (or error) matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, CancellationToken cancellationToken, bool standardError = false)
    {
        while (true)
        {
            var match = pattern.Match(standardError ? StandardError : StandardOutput);
            if (match.Success)
            {
                return match;
            }

            if (_process.HasExited)
            {
                await _pumps;
                match = pattern.Match(standardError ? StandardError : StandardOutput);
                return match.Success
                    ? match
                    : throw new InvalidOperationException(
                        $"parley exited ({_process.ExitCode}) before printing /{pattern}/.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for /{pattern}/.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>The port from the <c>Listening on address:port</c> line.</summary>
    public async Task<int> WaitForListeningPortAsync(CancellationToken cancellationToken)
    {
        var match = await WaitForAsync(ListeningLine(), cancellationToken);
        return int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"parley did not exit in time.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        await _pumps;
        return _process.ExitCode;
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The peak resident memory of the process, from /proc, in KiB.</summary>
    public long PeakResidentKiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the process if it still runs; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _pumps;
        _process.Dispose();
        if (_ownsHome)
        {
            // The home this process was given, and whatever parley left in it (keys, known hosts, a database).
            TempFolder.Delete(Home);
        }
    }

    [GeneratedRegex(@"^Listening on (?<address>\S+):(?<port>\d+)", RegexOptions.Multiline)]
    public static partial Regex ListeningLine();

    private async Task Pump(Stream from, MemoryStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await from.ReadAsync(buffer);
            }
            catch (IOException)
            {
                return;
            }

            if (n == 0)
            {
                return;
            }

            lock (_lock)
            {
                to.Write(buffer, 0, n);
            }
        }
    }
}
