using System.CommandLine;
using System.Net.Sockets;
using Parley.Cli.Hosting;
using Parley.Cli.Logging;
using Parley.Cli.Options;
using Parley.Ping;
using Parley.Tcp;

namespace Parley.Cli.Commands.Ping;

/// <summary>
/// <c>parley ping --udp HOST</c>: probes any RFC 862 UDP echo with datagrams that carry a run id, a sequence number and
/// a send time, and counts loss, late replies, duplicates, reordering and corruption exactly (docs/connectivity.md).
/// </summary>
internal sealed class UdpPing
{
    /// <summary>The probe size when <c>--size</c> is not given: 64 bytes, as ping's (the TCP ping's is 32).</summary>
    public const int DefaultSize = 64;

    /// <summary>The reply timeout when <c>--reply-timeout</c> is not given: 1 s, as a datagram is never resent (the TCP ping's is 5 s).</summary>
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(1);

    private readonly UdpSwitch _switch;
    private readonly Option<int> _size;
    private readonly Option<Duration> _replyTimeout;

    /// <param name="size">The ping's <c>--size</c>.</param>
    /// <param name="replyTimeout">The ping's <c>--reply-timeout</c>.</param>
    /// <param name="allowed">The names of the ping's options that apply over UDP too.</param>
    public UdpPing(Option<int> size, Option<Duration> replyTimeout, IEnumerable<string> allowed)
    {
        _size = size;
        _replyTimeout = replyTimeout;
        _switch = new UdpSwitch(
            "Probe a UDP echo (RFC 862: Parley's 'serve echo --udp' or any other) with datagrams, and count loss, late replies, duplicates, reordering and corruption (TCP-only options are refused)",
            allowed.Concat(UdpSwitch.NamesOf(new LoggingOptions().AddTo)));
    }

    public void AddTo(Command command)
    {
        _switch.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.Given(_switch.Option) && result.GetResult(_size) is { Implicit: false } given
                && given.Tokens.Count > 0 && int.TryParse(given.Tokens[0].Value, out var size)
                && size is < UdpPingOptions.MinSize or > UdpPingOptions.MaxSize)
            {
                result.AddError($"--size: with --udp, give a whole number from {UdpPingOptions.MinSize} (the probe's header) to {UdpPingOptions.MaxSize} (the largest UDP datagram)");
            }
        });
    }

    public bool IsOn(ParseResult result) => _switch.IsOn(result);

    public async Task<int> RunAsync(
        ParseResult result, CliConsole console, string host, int port, int count, TimeSpan interval, AddressFamily? family,
        LoggingSettings logging, bool json)
    {
        var options = new UdpPingOptions
        {
            Count = count,
            Interval = interval,
            Size = result.GetResult(_size) is { Implicit: false } ? result.GetValue(_size) : DefaultSize,
            ReplyTimeout = result.GetResult(_replyTimeout) is { Implicit: false } ? result.GetValue(_replyTimeout) : DefaultReplyTimeout,
            AddressFamily = family,
        };
        using var loggerFactory = LoggingSetup.Create(logging);
        var pinger = new UdpPinger(host, port, options, loggerFactory.CreateLogger("Parley.Ping"));
        var text = json ? null : new UdpPingText(console.Out, options);
        using var interrupted = new CancellationTokenSource();
        using var stop = StopSources.Signals(_ => interrupted.Cancel());
        UdpPingReport report;
        try
        {
            report = await pinger.RunAsync(addresses => text?.Header(pinger.Target, addresses), e => text?.Event(e), interrupted.Token);
        }
        catch (ConnectException e) when (json)
        {
            await console.Out.WriteLineAsync(UdpPingJson.Failure(host, port, options, e));
            await console.Out.FlushAsync();
            throw;
        }

        if (text is not null)
        {
            text.Summary(pinger.Target, report);
        }
        else
        {
            await console.Out.WriteLineAsync(UdpPingJson.Report(report, options));
        }

        await console.Out.FlushAsync();
        return report.Ping.Statistics.Answered > 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
