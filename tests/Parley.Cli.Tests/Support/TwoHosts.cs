using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Cli.Tests.Support;

/// <summary>
/// Two network hosts on this machine: two network namespaces of our own, linked by a veth pair, with addresses of
/// their own (10.231.0.1/24 and fdcb:231::1/64 for the server host, .2 and ::2 for the client host) and loopback up.
/// Nothing else is reachable from either. Disposing deletes both, whatever happened; namespaces left behind by a
/// test run that died are deleted on the next run.
/// </summary>
internal sealed partial class TwoHosts : IAsyncDisposable
{
    public const string ServerAddress = "10.231.0.1";
    public const string ClientAddress = "10.231.0.2";
    public const string ServerAddress6 = "fdcb:231::1";

    /// <summary>Set (to anything) to make the two-host tests fail instead of skipping where they cannot run: CI sets it.</summary>
    public const string RequireVariable = "PARLEY_REQUIRE_NETNS";

    private static readonly Lazy<string?> Unavailable = new(FindWhyUnavailable);
    private static int _created;
    private const string EtcNetns = "/etc/netns";
    private readonly List<ParleyProcess> _processes = [];
    private bool _createdEtcNetns;

    private TwoHosts(string prefix)
    {
        ServerNamespace = prefix + "-srv";
        ClientNamespace = prefix + "-cli";
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    /// <summary>Why two-host tests cannot run here, or null when they can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static async Task<TwoHosts> CreateAsync(CancellationToken cancellationToken)
    {
        await DeleteLeftoversAsync(cancellationToken);
        var hosts = new TwoHosts(string.Create(CultureInfo.InvariantCulture,
            $"parley-{Environment.ProcessId}-{Interlocked.Increment(ref _created)}"));
        try
        {
            var (s, c) = (hosts.ServerNamespace, hosts.ClientNamespace);
            await IpAsync(cancellationToken, "netns", "add", s);
            await IpAsync(cancellationToken, "netns", "add", c);
            await IpAsync(cancellationToken, "link", "add", "veth-s", "netns", s, "type", "veth", "peer", "name", "veth-c", "netns", c);
            await IpAsync(cancellationToken, "-n", s, "addr", "add", $"{ServerAddress}/24", "dev", "veth-s");
            await IpAsync(cancellationToken, "-n", c, "addr", "add", $"{ClientAddress}/24", "dev", "veth-c");
            // nodad: usable at once, without waiting for duplicate address detection.
            await IpAsync(cancellationToken, "-n", s, "-6", "addr", "add", $"{ServerAddress6}/64", "dev", "veth-s", "nodad");
            await IpAsync(cancellationToken, "-n", c, "-6", "addr", "add", "fdcb:231::2/64", "dev", "veth-c", "nodad");
            foreach (var (ns, link) in new[] { (s, "veth-s"), (c, "veth-c") })
            {
                await IpAsync(cancellationToken, "-n", ns, "link", "set", "lo", "up");
                await IpAsync(cancellationToken, "-n", ns, "link", "set", link, "up");
            }

            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Gives the client host its own <c>/etc/hosts</c> (<c>ip netns exec</c> mounts <c>/etc/netns/NAME/hosts</c> over
    /// it), so that a name can resolve to several addresses in a known order.
    /// </summary>
    public void SetClientHostsFile(string content)
    {
        _createdEtcNetns |= !Directory.Exists(EtcNetns);
        var folder = Path.Combine(EtcNetns, ClientNamespace);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "hosts"), content);
    }

    /// <summary>
    /// Makes <paramref name="address"/>, on the shared link, a host that is down but still known to the client's
    /// neighbour (ARP) table: the client's packets go out and nothing ever answers, as behind a firewall that drops
    /// them.
    /// </summary>
    public Task AddSilentHostAsync(string address, CancellationToken cancellationToken) =>
        IpAsync(cancellationToken, "-n", ClientNamespace, "neigh", "add", address, "lladdr", "02:00:00:00:02:31", "dev", "veth-c", "nud", "permanent");

    public ParleyProcess StartOnServer(params string[] arguments) => Track(ParleyProcess.StartIn(ServerNamespace, arguments));

    public ParleyProcess StartOnClient(params string[] arguments) => Track(ParleyProcess.StartIn(ClientNamespace, arguments));

    /// <summary>Runs <c>parley</c> on the client host to the end with the given standard input.</summary>
    public Task<(int ExitCode, ParleyProcess Process)> RunOnClientAsync(string input, CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(StartOnClient(arguments), input, cancellationToken);

    /// <summary>Runs <c>parley</c> on the server host to the end with the given standard input.</summary>
    public Task<(int ExitCode, ParleyProcess Process)> RunOnServerAsync(string input, CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(StartOnServer(arguments), input, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Not bounded by the test's token: cleaning up must happen even when the test ran out of time.
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Every process first, even one a timed-out test lost track of: a process inside keeps a namespace alive.
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var ns in new[] { ClientNamespace, ServerNamespace })
        {
            await DeleteAsync(ns, cleanup.Token);
        }

        if (_createdEtcNetns && !Directory.EnumerateFileSystemEntries(EtcNetns).Any())
        {
            try
            {
                Directory.Delete(EtcNetns);
            }
            catch (IOException)
            {
                // Someone else put something there meanwhile: then it is theirs to keep.
            }
        }
    }

    private ParleyProcess Track(ParleyProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    private static async Task<(int, ParleyProcess)> RunAsync(ParleyProcess process, string input, CancellationToken cancellationToken)
    {
        await process.GiveInputAsync(input);
        return (await process.WaitForExitAsync(cancellationToken), process);
    }

    private static async Task DeleteAsync(string ns, CancellationToken cancellationToken)
    {
        // Deleting a namespace deletes the veth end in it, and with it the pair.
        await RunIpAsync(cancellationToken, "netns", "delete", ns);
        var folder = Path.Combine(EtcNetns, ns);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task DeleteLeftoversAsync(CancellationToken cancellationToken)
    {
        var (_, list, _) = await RunIpAsync(cancellationToken, "netns", "list");
        foreach (Match match in LeftoverName().Matches(list))
        {
            var pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
            if (pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                await DeleteAsync(match.Groups["name"].Value, cancellationToken);
            }
        }
    }

    private static async Task IpAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var (exit, _, error) = await RunIpAsync(cancellationToken, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exit}): {error.Trim()}");
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunIpAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ip did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private static string? FindWhyUnavailable()
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) is { Length: > 0 })
        {
            return null;
        }

        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating network namespaces needs root (CI runs as root; set PARLEY_REQUIRE_NETNS=1 to fail instead of skipping)";
        }

        var probe = string.Create(CultureInfo.InvariantCulture, $"parley-{Environment.ProcessId}-probe");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var (exit, _, error) = RunIpAsync(timeout.Token, "netns", "add", probe).GetAwaiter().GetResult();
            if (exit != 0)
            {
                return $"cannot create a network namespace here: {error.Trim()}";
            }

            RunIpAsync(timeout.Token, "netns", "delete", probe).GetAwaiter().GetResult();
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "the ip command (iproute2) is not installed: apt-get install iproute2";
        }
    }

    [GeneratedRegex(@"^(?<name>parley-(?<pid>\d+)-\d+-(srv|cli))\b", RegexOptions.Multiline)]
    private static partial Regex LeftoverName();
}
