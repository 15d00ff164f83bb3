using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Tcp;

/// <summary>
/// Logs refused connections at most once a second per client address, never once per attempt: the first refusal
/// from an address is logged at once, the next ones within the second are counted and reported together by
/// <see cref="Flush"/> (called about once a second). The table is bounded: past <see cref="MaxAddresses"/> addresses
/// refused within the last second, further ones are counted under "other addresses".
/// </summary>
internal sealed class RefusalLog(ILogger logger, TimeProvider time)
{
    /// <summary>The most addresses tracked at once.</summary>
    public const int MaxAddresses = 1024;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Lock _lock = new();
    private int _others;
    private string _othersReason = "";

    /// <summary>How many addresses the table holds now (for tests).</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Counts one refusal from <paramref name="address"/>, logging it if none was logged for it within the second.</summary>
    public void Refused(IPAddress address, string reason)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue(address, out var entry))
            {
                entry.Suppressed++;
                entry.Reason = reason;
                return;
            }

            if (_entries.Count >= MaxAddresses)
            {
                Prune(now);
            }

            if (_entries.Count >= MaxAddresses)
            {
                _others++;
                _othersReason = reason;
                return;
            }

            _entries[address] = new Entry { Since = now, Reason = reason };
        }

        TcpLog.ConnectionRefused(logger, address, reason);
    }

    /// <summary>
    /// Reports the refusals counted and not yet logged (those of the last second too when <paramref name="final"/>,
    /// as the server stops), and forgets addresses quiet for a second.
    /// </summary>
    public void Flush(bool final = false)
    {
        var now = time.GetTimestamp();
        List<(IPAddress Address, int Count, string Reason)>? reports = null;
        int others;
        string othersReason;
        lock (_lock)
        {
            foreach (var (address, entry) in _entries)
            {
                if (entry.Suppressed > 0 && (final || time.GetElapsedTime(entry.Since, now) >= Period))
                {
                    (reports ??= []).Add((address, entry.Suppressed, entry.Reason));
                    entry.Suppressed = 0;
                    entry.Since = now;
                }
            }

            Prune(now);
            others = _others;
            othersReason = _othersReason;
            _others = 0;
        }

        foreach (var (address, count, reason) in reports ?? [])
        {
            TcpLog.ConnectionsRefusedAgain(logger, count, address, reason);
        }

        if (others > 0)
        {
            TcpLog.ConnectionsRefusedFromOthers(logger, others, othersReason);
        }
    }

    private void Prune(long now)
    {
        foreach (var (address, entry) in _entries)
        {
            if (entry.Suppressed == 0 && time.GetElapsedTime(entry.Since, now) >= Period)
            {
                _entries.Remove(address);
            }
        }
    }

    private sealed class Entry
    {
        public long Since { get; set; }

        public int Suppressed { get; set; }

        public string Reason { get; set; } = "";
    }
}
