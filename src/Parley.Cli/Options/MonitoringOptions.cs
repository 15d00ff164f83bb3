using System.CommandLine;
using System.Net;

namespace Parley.Cli.Options;

/// <summary>The options every server takes to be watched: <c>--metrics</c> and <c>--otlp-endpoint</c>.</summary>
internal sealed class MonitoringOptions
{
    private readonly Option<IPEndPoint?> _metrics = new("--metrics")
    {
        Description = "Serve /metrics (Prometheus text) and /healthz over HTTP at this address and port, e.g. 127.0.0.1:9464 "
            + "(port 0: any free port, shown on standard output); no authentication, so keep it on loopback or a private network (default: off)",
        HelpName = "address:port",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TryParseEndPoint(text, out var endPoint, out var reason))
            {
                return endPoint;
            }

            result.AddError($"--metrics: {reason}");
            return null;
        },
    };

    private readonly Option<Uri?> _otlp = new("--otlp-endpoint")
    {
        Description = "Export the same metrics with OpenTelemetry's OTLP exporter to this collector URL, every 10 seconds and at stop: "
            + "gRPC (e.g. http://127.0.0.1:4317), or HTTP/protobuf when the path ends in /v1/metrics (default: off)",
        HelpName = "url",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
            {
                return uri;
            }

            result.AddError($"--otlp-endpoint: '{text}' is not an http:// or https:// URL");
            return null;
        },
    };

    public void AddTo(Command command)
    {
        command.Add(_metrics);
        command.Add(_otlp);
    }

    public MonitoringSettings Read(ParseResult result) => new(result.GetValue(_metrics), result.GetValue(_otlp));

    /// <summary>
    /// <c>ADDRESS:PORT</c>: an IP address (IPv6 in brackets) or <c>localhost</c>, and a port, 0 for any free one. Names
    /// other than localhost are refused: a metrics endpoint bound by a resolver's whim is one exposed by accident.
    /// </summary>
    public static bool TryParseEndPoint(string text, out IPEndPoint? endPoint, out string reason)
    {
        endPoint = null;
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || (trimmed.StartsWith('[') && trimmed[colon - 1] != ']'))
        {
            reason = $"'{trimmed}' is not ADDRESS:PORT, such as 127.0.0.1:9464 or [::1]:9464";
            return false;
        }

        var host = trimmed[..colon];
        if (!PortParser.TryParse(trimmed[(colon + 1)..], 0, out var port, out reason))
        {
            return false;
        }

        IPAddress? address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!(host.StartsWith('[') ? host.EndsWith(']') : !host.Contains(':'))
            || !IPAddress.TryParse(host.Trim('[', ']'), out address))
        {
            reason = $"'{host}' is not an IP address (IPv6 in brackets, as [::1]:9464) or localhost";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
