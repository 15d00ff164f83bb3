using System.Globalization;
using System.Net;

namespace Parley.Ping;

/// <summary>What <see cref="Pinger"/> and <see cref="UdpPinger"/> check and say alike about a run's settings.</summary>
internal static class PingSettings
{
    /// <summary>Checks what every pinger needs: a host, a port, and a count, interval and reply timeout that make sense.</summary>
    /// <exception cref="ArgumentException">One of them is out of range.</exception>
    public static void Check(string host, int port, int count, TimeSpan interval, TimeSpan replyTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(replyTimeout, TimeSpan.Zero);
    }

    /// <summary>How many probes a run sends, in words for the log: <c>until stopped</c>, <c>1 probe</c>, <c>5 probes</c>.</summary>
    public static string DescribeCount(int count) => count switch
    {
        0 => "until stopped",
        1 => "1 probe",
        var n => string.Create(CultureInfo.InvariantCulture, $"{n} probes"),
    };
}
