using Parley.Epoll;
using Parley.Tests.Support;

namespace Parley.Tests.Tcp;

/// <summary>
/// The registrations of one of the engine's own loops: a loop has no way to stop, so one made for a test would outlive
/// it (a thread and an epoll descriptor per run). These count what the shared loop holds, so they run alone.
/// </summary>
[Collection(EpollEngineCollection.Name)]
public sealed class EpollLoopTests
{
    [Fact]
    public async Task A_disposed_stream_leaves_its_loop_and_its_place_is_used_again()
    {
        var ct = TestTimeout.Token();
        var loop = EpollEngine.NextLoop();
        var before = loop.Count;
        var first = new List<EpollPair>();
        for (var i = 0; i < 50; i++)
        {
            first.Add(await EpollPair.ConnectAsync(ct, loop: loop));
        }

        Assert.Equal(before + 50, loop.Count);
        var places = first.Select(pair => Place(pair.Stream)).ToHashSet();
        Assert.Equal(50, places.Count);
        // Half closed by the socket first (as an abort does), half by the stream first (as a normal close does).
        for (var i = 0; i < first.Count; i++)
        {
            if (i % 2 == 0)
            {
                first[i].Server.Dispose();
            }

            first[i].Dispose();
        }

        Assert.Equal(before, loop.Count);
        using var again = await EpollPair.ConnectAsync(ct, loop: loop);
        Assert.Equal(before + 1, loop.Count);
        Assert.Contains(Place(again.Stream), places);
        await again.Client.SendAsync("still served"u8.ToArray(), ct);
        var buffer = new byte[64];
        var count = await again.Stream.ReadAsync(buffer, ct).AsTask().WaitAsync(ct);
        Assert.Equal("still served"u8.ToArray(), buffer[..count]);
    }

    /// <summary>The stream's slot in its loop's table: the lower half of its registration key.</summary>
    private static uint Place(EpollStream stream) => (uint)stream.Key;
}
