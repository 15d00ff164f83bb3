using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Parley.Cli.Hosting;
using Parley.Cli.Logging;
using Parley.Cli.Options;
using Parley.Echo;
using Parley.Ping;
using Parley.Shared;
using Parley.Tcp;

namespace Parley.Cli.Commands.Ping;

/// <summary>
/// <c>parley ping HOST</c>: probes an echo server like ping probes a host, one line per probe, then a summary;
/// exits 0 when at least one probe was answered, 1 otherwise.
/// </summary>
internal static class PingCommands
{
    public static Command Create(CliConsole console)
    {
        var host = new Argument<string>("host")
        {
            Description = "Host name or address of the echo server, optionally with :port ([address]:port for IPv6); every address it resolves to is tried, in the resolver's order, until one accepts",
        };
        var port = OptionFactory.Port("Port of the echo server", 1, 9000);
        var count = OptionFactory.Int("--count", "How many probes to send; 0 sends until Ctrl+C", 5, 0, int.MaxValue);
        count.Aliases.Add("-c");
        var interval = OptionFactory.Duration("--interval", "Time from the start of one probe to the start of the next, e.g. 200ms or 2s", TimeSpan.FromSeconds(1));
        interval.Aliases.Add("-i");
        var size = OptionFactory.Int(
            "--size", "Bytes per probe: the whole line with its newline (line mode), the raw bytes (--raw), or the message body (--framing length); "
            + $"with --udp, the whole datagram, from {UdpPingOptions.MinSize} to {UdpPingOptions.MaxSize} (default {UdpPing.DefaultSize})",
            32, 1, PingOptions.MaxSize, "bytes");
        size.Aliases.Add("-s");
        var raw = new Option<bool>("--raw") { Description = "Send bytes of every value, not a line: for any RFC 862 echo service" };
        var framing = OptionFactory.Choice(
            "--framing", "line: one text line per probe; length: one 4-byte length-prefixed message, for 'parley serve echo --framing length'",
            "line", "line", "length");
        var json = new Option<bool>("--json") { Description = "Print one JSON object (every probe and the summary) instead of lines, for scripts" };
        var v4 = new Option<bool>("-4") { Description = "Use IPv4 addresses only" };
        var v6 = new Option<bool>("-6") { Description = "Use IPv6 addresses only" };
        var connectTimeout = OptionFactory.Duration("--connect-timeout", "How long to wait for each address to accept the connection", TimeSpan.FromSeconds(5));
        var replyTimeout = OptionFactory.Duration(
            "--reply-timeout", $"How long to wait, once connected, for the whole echo to come back; with --udp, for each probe's reply (default {Durations.Format(UdpPing.DefaultReplyTimeout)}; a later reply counts as late)",
            TimeSpan.FromSeconds(5));
        var logging = new LoggingOptions(defaultLevel: "warning");
        var tls = new TlsClientOptionSet();
        var source = new SourceAddressOption();

        var command = new Command(
            "ping",
            "Probe an echo server like ping: per probe, the TCP connect time and the echo round trip, then a summary "
            + "(exit code 0 when at least one probe was answered, 1 otherwise)")
        {
            host, port, count, interval, size, raw, framing, json, v4, v6, connectTimeout, replyTimeout,
        };
        source.AddTo(command);
        tls.AddTo(command);
        logging.AddTo(command);
        var udp = new UdpPing(size, replyTimeout, [port.Name, count.Name, interval.Name, size.Name, json.Name, v4.Name, v6.Name, replyTimeout.Name]);
        udp.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(raw) && result.GetValue(framing) == "length")
            {
                result.AddError("--raw and --framing length do not go together: raw echo has no framing");
            }

            if (result.GetValue(v4) && result.GetValue(v6))
            {
                result.AddError("-4 and -6 do not go together: give one of them, or neither for both families");
            }

            var given = result.GetValue(host);
            var name = given;
            if (given is not null)
            {
                if (!HostPortParser.TrySplit(given, out name, out var embedded, out var reason))
                {
                    result.AddError($"host: {reason}");
                    return;
                }

                if (embedded is not null && result.GetResult(port) is { Implicit: false })
                {
                    result.AddError($"host: '{given}' has a port already: give it there or with --port, not both");
                }
            }

            if (source.Typed(result) is { } from)
            {
                var wanted = result.GetValue(v4) ? AddressFamily.InterNetwork : result.GetValue(v6) ? AddressFamily.InterNetworkV6 : from.AddressFamily;
                if (SourceAddressOption.Conflict(from, name) is { } conflict)
                {
                    result.AddError(conflict);
                }
                else if (from.AddressFamily != wanted)
                {
                    result.AddError($"--source: {from} is not of the family that -4/-6 asks for");
                }
            }

            if (name is not null && IPAddress.TryParse(name, out var literal))
            {
                if (result.GetValue(v4) && literal.AddressFamily != AddressFamily.InterNetwork)
                {
                    result.AddError($"-4: {name} is not an IPv4 address");
                }
                else if (result.GetValue(v6) && literal.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    result.AddError($"-6: {name} is not an IPv6 address");
                }
            }
            else if (string.IsNullOrWhiteSpace(name))
            {
                result.AddError("host: give the name or address of the echo server");
            }
        });

        command.SetAction(async result =>
        {
            if (udp.IsOn(result))
            {
                HostPortParser.TrySplit(result.GetValue(host)!, out var udpHost, out var udpPort, out _);
                var family = result.GetValue(v4) ? AddressFamily.InterNetwork : result.GetValue(v6) ? AddressFamily.InterNetworkV6 : (AddressFamily?)null;
                return await udp.RunAsync(result, console, udpHost, udpPort ?? result.GetValue(port), result.GetValue(count), result.GetValue(interval),
                    family, logging.Read(result), result.GetValue(json));
            }

            var options = new PingOptions
            {
                Count = result.GetValue(count),
                Interval = result.GetValue(interval),
                Size = result.GetValue(size),
                Mode = result.GetValue(raw) ? EchoMode.Raw : result.GetValue(framing) == "length" ? EchoMode.Framed : EchoMode.Line,
                Connect = new ConnectOptions
                {
                    Timeout = result.GetValue(connectTimeout),
                    AddressFamily = result.GetValue(v4) ? AddressFamily.InterNetwork : result.GetValue(v6) ? AddressFamily.InterNetworkV6
                        : source.Read(result)?.AddressFamily,
                    LocalAddress = source.Read(result),
                    Tls = tls.Read(result, console, !console.IsInputRedirected, result.GetValue(connectTimeout)),
                },
                ReplyTimeout = result.GetValue(replyTimeout),
            };
            HostPortParser.TrySplit(result.GetValue(host)!, out var name, out var embedded, out _);
            return await RunAsync(console, name, embedded ?? result.GetValue(port), options, logging.Read(result), result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string host, int port, PingOptions options, LoggingSettings logging, bool json)
    {
        using var loggerFactory = LoggingSetup.Create(logging);
        var pinger = new Pinger(host, port, options, loggerFactory.CreateLogger("Parley.Ping"));
        var text = json ? null : new PingText(console.Out, options);
        using var interrupted = new CancellationTokenSource();
        using var stop = StopSources.Signals(_ => interrupted.Cancel());
        PingReport report;
        try
        {
            report = await pinger.RunAsync(
                addresses => text?.Header(pinger.Target, addresses),
                probe => text?.Probe(probe),
                interrupted.Token);
        }
        catch (Tls.TlsException e) when (json)
        {
            // A certificate refused or not trusted: no network condition, so no probe goes on.
            await console.Out.WriteLineAsync(PingJson.Failure(host, port, options, "tls-refused", e.Message,
                "check the certificate's fingerprint with the server's operator; see --trust-on-first-use and --fingerprint"));
            await console.Out.FlushAsync();
            throw;
        }
        catch (ConnectException e) when (json)
        {
            await console.Out.WriteLineAsync(PingJson.Failure(host, port, options, e));
            await console.Out.FlushAsync();
            throw;
        }

        if (text is not null)
        {
            text.Summary(pinger.Target, report);
        }
        else
        {
            await console.Out.WriteLineAsync(PingJson.Report(report, options));
        }

        await console.Out.FlushAsync();
        return report.Statistics.Answered > 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
