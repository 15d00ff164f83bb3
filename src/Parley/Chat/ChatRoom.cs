using System.Net;
using Parley.Shared;

namespace Parley.Chat;

/// <summary>
/// The chat's state, without I/O: members by address and by nickname, the last public messages, and the rate-limit
/// buckets of members who left lately. Not thread-safe: <see cref="ChatHandler"/> serialises access.
/// </summary>
internal sealed class ChatRoom(int historyLength, int maxMembers)
{
    private readonly Dictionary<IPEndPoint, ChatMember> _byEndPoint = [];
    private readonly Dictionary<IPAddress, TokenBucket> _departed = [];
    private readonly Dictionary<IPAddress, int> _membersByAddress = [];
    private readonly Dictionary<string, ChatMember> _byNickname = new(Parley.Chat.Nicknames.Comparer);
    private readonly Queue<string> _history = new();

    public int Count => _byEndPoint.Count;

    public IEnumerable<ChatMember> Members => _byEndPoint.Values;

    public IReadOnlyCollection<string> History => _history;

    /// <summary>How many departed members' buckets are kept.</summary>
    public int DepartedCount => _departed.Count;

    public ChatMember? Find(IPEndPoint endPoint) => _byEndPoint.GetValueOrDefault(endPoint);

    public ChatMember? Find(string nickname) => _byNickname.GetValueOrDefault(nickname);

    /// <summary>How many members joined from <paramref name="address"/> (any port).</summary>
    public int MembersFrom(IPAddress address) => _membersByAddress.GetValueOrDefault(address);

    public void Add(ChatMember member)
    {
        _byEndPoint.Add(member.EndPoint, member);
        _byNickname.Add(member.Nickname, member);
        _membersByAddress[member.EndPoint.Address] = MembersFrom(member.EndPoint.Address) + 1;
    }

    /// <summary>Removes a member, keeping its rate-limit bucket until it has filled up again.</summary>
    public void Remove(ChatMember member)
    {
        _byEndPoint.Remove(member.EndPoint);
        _byNickname.Remove(member.Nickname);
        if (MembersFrom(member.EndPoint.Address) <= 1)
        {
            _membersByAddress.Remove(member.EndPoint.Address);
        }
        else
        {
            _membersByAddress[member.EndPoint.Address]--;
        }

        if (_departed.Count >= maxMembers)
        {
            // A full bucket is the same as a new one: forget those. Past a bound (a flood of joins and leaves from
            // ever new addresses), forget others too, as many as it takes, rather than grow.
            foreach (var (address, bucket) in _departed)
            {
                if (bucket.IsFull || _departed.Count >= 4 * maxMembers)
                {
                    _departed.Remove(address);
                }
            }
        }

        _departed[member.EndPoint.Address] = member.Bucket;
    }

    /// <summary>
    /// The bucket for a member joining from <paramref name="endPoint"/>: the one last left with from its address (any
    /// port: a client that joins again opens a new socket), if that was lately, so that leaving and joining again
    /// does not reset the rate limit; otherwise <paramref name="create"/>'s.
    /// </summary>
    public TokenBucket BucketFor(IPEndPoint endPoint, Func<TokenBucket> create) =>
        _departed.Remove(endPoint.Address, out var bucket) ? bucket : create();

    /// <summary>Keeps the bucket of a join that was refused, as if the joiner had left again.</summary>
    public void KeepBucket(IPEndPoint endPoint, TokenBucket bucket) => _departed[endPoint.Address] = bucket;

    public void Rename(ChatMember member, string nickname)
    {
        _byNickname.Remove(member.Nickname);
        member.Nickname = nickname;
        _byNickname.Add(nickname, member);
    }

    /// <summary>Every member's nickname and those of <paramref name="elsewhere"/> (members of other servers), sorted ignoring case.</summary>
    public IReadOnlyList<string> SortedNicknames(IEnumerable<string> elsewhere)
    {
        var names = _byNickname.Values.Select(m => m.Nickname).Concat(elsewhere).ToList();
        names.Sort(static (a, b) => Parley.Chat.Nicknames.Comparer.Compare(a, b) is var c and not 0 ? c : string.CompareOrdinal(a, b));
        return names;
    }

    /// <summary>Keeps a public message for late joiners, forgetting the oldest beyond the history length.</summary>
    public void Remember(string line)
    {
        if (historyLength == 0)
        {
            return;
        }

        _history.Enqueue(line);
        while (_history.Count > historyLength)
        {
            _history.Dequeue();
        }
    }
}
