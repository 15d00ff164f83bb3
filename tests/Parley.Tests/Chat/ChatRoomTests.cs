using System.Net;
using Microsoft.Extensions.Time.Testing;
using Parley.Chat;
using Parley.Shared;

namespace Parley.Tests.Chat;

public sealed class ChatRoomTests
{
    private readonly FakeTimeProvider _time = new();

    private ChatMember Member(int n)
    {
        var bucket = new TokenBucket(20, 40, _time);
        bucket.TryTake();
        return new ChatMember($"m{n}", new IPEndPoint(new IPAddress([127, 0, (byte)(n / 250), (byte)(n % 250 + 1)]), 10_000 + n), bucket, _time.GetTimestamp());
    }

    [Fact]
    public void A_member_joining_again_from_a_new_port_gets_the_bucket_it_left_with()
    {
        var room = new ChatRoom(historyLength: 0, maxMembers: 10);
        var member = Member(1);
        room.Add(member);
        room.Remove(member);

        var newSocket = new IPEndPoint(member.EndPoint.Address, member.EndPoint.Port + 1);
        Assert.Same(member.Bucket, room.BucketFor(newSocket, () => throw new InvalidOperationException("not kept")));
        Assert.Equal(0, room.DepartedCount);
    }

    [Fact]
    public void Buckets_of_departed_members_are_kept_within_a_bound_and_forgotten_once_full()
    {
        var room = new ChatRoom(historyLength: 0, maxMembers: 10);
        for (var n = 0; n < 1000; n++)
        {
            var member = Member(n);
            room.Add(member);
            room.Remove(member);
            Assert.InRange(room.DepartedCount, 1, 40);
        }

        _time.Advance(TimeSpan.FromSeconds(2)); // 40 tokens at 20 a second: every bucket is full again
        var last = Member(1000);
        room.Add(last);
        room.Remove(last);

        Assert.Equal(1, room.DepartedCount);
    }
}
