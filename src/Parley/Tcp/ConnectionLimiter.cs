using System.Globalization;
using System.Net;

namespace Parley.Tcp;

/// <summary>
/// Counts a server's connections, in all and per client address, and says when a new one would go over
/// <see cref="TcpServerOptions.MaxConnections"/> or <see cref="TcpServerOptions.MaxConnectionsPerAddress"/>. The
/// per-address table holds only addresses with a connection open, so it is bounded by the connections themselves.
/// </summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

    /// <summary>Whether any limit is on.</summary>
    public bool IsOn => maxConnections > 0 || maxPerAddress > 0;

    /// <summary>
    /// Counts a new connection from <paramref name="address"/> and returns <see langword="null"/>, or, when it would go
    /// over a limit, counts nothing and returns the reason in a few words.
    /// </summary>
    public string? TryAdmit(IPAddress address)
    {
        lock (_lock)
        {
            if (maxConnections > 0 && _total >= maxConnections)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the server has its maximum of {maxConnections} connections");
            }

            var from = 0;
            if (maxPerAddress > 0 && _perAddress.TryGetValue(address, out from) && from >= maxPerAddress)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{from} connections from this address already, the most allowed");
            }

            _total++;
            if (maxPerAddress > 0)
            {
                _perAddress[address] = from + 1;
            }

            return null;
        }
    }

    /// <summary>Uncounts a connection admitted by <see cref="TryAdmit"/>.</summary>
    public void Release(IPAddress address)
    {
        lock (_lock)
        {
            _total--;
            if (maxPerAddress > 0 && _perAddress.TryGetValue(address, out var from))
            {
                if (from <= 1)
                {
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = from - 1;
                }
            }
        }
    }
}
