using System.Net;

namespace Parley.Chat;

/// <summary>
/// Counts the times an address hit a limit and says when to log them: at most once a second per address, with how
/// many there were since, so that a flood is counted, not logged line by line. Not thread-safe: its owner serialises
/// access. Forgets every address past a bound rather than grow with a flood from ever new addresses.
/// </summary>
internal sealed class AddressLogThrottle(TimeProvider time)
{
    private const int MaxAddresses = 4096;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<IPAddress, (long LoggedAt, long Count)> _byAddress = [];

    /// <summary>Every time counted since the start.</summary>
    public long Total { get; private set; }

    /// <summary>
    /// Counts one more for <paramref name="address"/>; true when it is time to log, with <paramref name="count"/>
    /// the times since the last log line for that address (this one included).
    /// </summary>
    public bool Count(IPAddress address, out long count)
    {
        Total++;
        var now = time.GetTimestamp();
        if (_byAddress.TryGetValue(address, out var entry) && time.GetElapsedTime(entry.LoggedAt, now) < Interval)
        {
            _byAddress[address] = (entry.LoggedAt, entry.Count + 1);
            count = 0;
            return false;
        }

        if (_byAddress.Count >= MaxAddresses)
        {
            _byAddress.Clear();
        }

        count = entry.Count + 1;
        _byAddress[address] = (now, 0);
        return true;
    }
}
