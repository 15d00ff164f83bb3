using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Cli.Tests.Support;

/// <summary>
/// A UDP echo that Parley did not write: <c>socat UDP4-RECVFROM:0,fork PIPE</c> on 127.0.0.1, a port the OS chose,
/// read back with <c>ss</c> (socat does not print it). Disposing kills socat and its children.
/// </summary>
internal sealed partial class SocatUdpEcho : IAsyncDisposable
{
    /// <summary>Set (to anything) to make the socat tests fail instead of skipping where socat is missing: CI sets it.</summary>
    public const string RequireVariable = "PARLEY_REQUIRE_SOCAT";

    private readonly Process _process;

    private SocatUdpEcho(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Why socat cannot run here, or <see langword="null"/> when it can.</summary>
    public static string? WhyUnavailable =>
        Environment.GetEnvironmentVariable(RequireVariable) is null
        && !(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "socat")))
            ? "socat is not installed (apt-get install socat)"
            : null;

    public static async Task<SocatUdpEcho> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "UDP4-RECVFROM:0,bind=127.0.0.1,fork", "PIPE" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("socat did not start");
        var pid = string.Create(CultureInfo.InvariantCulture, $"pid={process.Id},");
        while (true)
        {
            using var ss = Process.Start(new ProcessStartInfo("ss", "-H -ulnp") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var sockets = await ss.StandardOutput.ReadToEndAsync(cancellationToken);
            await ss.WaitForExitAsync(cancellationToken);
            var line = sockets.Split('\n').FirstOrDefault(l => l.Contains(pid, StringComparison.Ordinal));
            if (line is not null && LocalPort().Match(line) is { Success: true } match)
            {
                return new SocatUdpEcho(process, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"socat exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)\s")]
    private static partial Regex LocalPort();
}
