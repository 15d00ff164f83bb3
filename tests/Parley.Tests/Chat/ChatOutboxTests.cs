using System.Net;
using Parley.Chat;

namespace Parley.Tests.Chat;

public sealed class ChatOutboxTests
{
    private static readonly IPAddress A = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress B = IPAddress.Parse("127.0.0.3");
    private static readonly IPEndPoint Somewhere = new(IPAddress.Loopback, 9);

    private static void Queue(ChatOutbox outbox, IPAddress source, int datagrams)
    {
        for (var i = 0; i < datagrams; i++)
        {
            outbox.Add([1], Somewhere, source);
        }
    }

    [Fact]
    public void Without_a_bound_there_is_always_room()
    {
        var outbox = new ChatOutbox(maxBacklog: 0);
        Queue(outbox, A, 10_000);

        Assert.True(outbox.HasRoomFor(A, 1_000_000));
        Assert.Equal(10_000, outbox.Waiting);
    }

    [Fact]
    public void Up_to_half_the_bound_anyone_may_add_and_past_it_only_within_an_equal_share()
    {
        var outbox = new ChatOutbox(maxBacklog: 100);

        Assert.True(outbox.HasRoomFor(A, 50));
        Queue(outbox, A, 50);
        Assert.False(outbox.HasRoomFor(A, 51)); // past the bound
        Assert.True(outbox.HasRoomFor(A, 10)); // alone in the queue, its share is all of it
        Queue(outbox, A, 10);

        Assert.True(outbox.HasRoomFor(B, 10)); // a newcomer's share: half, with A
        Queue(outbox, B, 10);
        Assert.False(outbox.HasRoomFor(A, 1)); // A holds 60, over its half
        Assert.True(outbox.HasRoomFor(B, 20));
    }
}
