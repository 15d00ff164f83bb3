using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A private <c>redis-server</c> for the tests: on a free loopback port, with a folder of its own, nothing saved to
/// disk (<c>--save "" --appendonly no</c>), stopped and its folder removed afterwards. A test makes an outage with
/// <see cref="StopAsync"/> and ends it with <see cref="StartAsync"/> (the same port again). Shared by a test
/// collection (<see cref="RedisCollection"/>): each test takes a room of its own (<see cref="NewRoom"/>).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static int _rooms;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-redis-");
    private Process? _process;

    /// <summary>The redis-server program, or null when it is not installed.</summary>
    public static string? Program { get; } = Find("redis-server");

    /// <summary>Why the Redis tests cannot run here, or null when they can (see <see cref="RedisFactAttribute"/>).</summary>
    public static string? WhyUnavailable => Program is null
        ? $"redis-server is not installed (apt-get install redis-server; {RequireVariable}=1 fails the test instead of skipping it)"
        : null;

    /// <summary>Set to 1 (as .ci/run does) to make the tests of real engines fail rather than skip without them.</summary>
    public const string RequireVariable = "PARLEY_REQUIRE_SERVICES";

    public int Port { get; private set; }

    /// <summary>The relay URL of this server, with database <paramref name="database"/>.</summary>
    public string Url(int database = 0) => $"redis://127.0.0.1:{Port}/{database}";

    /// <summary>A room name no other test uses.</summary>
    public static string NewRoom() => $"test{Interlocked.Increment(ref _rooms)}-{Environment.ProcessId}";

    public bool IsRunning => _process is { HasExited: false };

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (Program is null)
        {
            // Skipped tests need no server; required ones fail here, saying why.
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            {
                throw new InvalidOperationException(WhyUnavailable);
            }

            return;
        }

        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on <see cref="Port"/>, and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var program = Program ?? throw new InvalidOperationException(WhyUnavailable);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.FullName,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _folder.FullName, "--daemonize", "no", "--logfile", "", "--protected-mode", "yes"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersPingAsync())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                throw new InvalidOperationException($"redis-server did not start on port {Port}:\n{said}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the server (an outage, for the tests that need one); its data is gone, as nothing is saved.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await StopAsync();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is in the temporary folder.
        }
    }

    /// <summary>Sends one command in Redis's inline form and returns the first line of the answer.</summary>
    public async Task<string> CommandAsync(string inline)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(inline + "\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync() ?? "";
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            return await CommandAsync("PING") == "+PONG";
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
