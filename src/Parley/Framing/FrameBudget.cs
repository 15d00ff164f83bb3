namespace Parley.Framing;

/// <summary>
/// A memory budget shared by every connection of a server for its unfinished messages: a connection reserves what
/// it buffers for a message still arriving and gives it back when the message is complete or the connection ends.
/// One address opening many connections, each declaring a large message and never finishing it, then runs out of
/// budget instead of out of memory.
/// </summary>
internal sealed class FrameBudget
{
    private long _inUse;

    /// <summary>Creates a budget of <paramref name="maxBytes"/> bytes.</summary>
    public FrameBudget(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxBytes = maxBytes;
    }

    /// <summary>The budget, in bytes.</summary>
    public long MaxBytes { get; }

    /// <summary>The bytes reserved now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Reserves <paramref name="bytes"/>, or reserves nothing and returns <see langword="false"/> when they would go over the budget.</summary>
    public bool TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var current = Interlocked.Read(ref _inUse);
        while (true)
        {
            if (current + bytes > MaxBytes)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _inUse, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Gives back <paramref name="bytes"/> reserved earlier.</summary>
    public void Release(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Interlocked.Add(ref _inUse, -bytes);
    }
}
