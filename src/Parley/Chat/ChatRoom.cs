using System.Net;

namespace Parley.Chat;

/// <summary>
/// The chat's state, without I/O: members by address and by nickname, and the last public messages. Not
/// thread-safe: <see cref="ChatHandler"/> serialises access.
/// </summary>
internal sealed class ChatRoom(int historyLength)
{
    private readonly Dictionary<IPEndPoint, ChatMember> _byEndPoint = [];
    private readonly Dictionary<string, ChatMember> _byNickname = new(Parley.Chat.Nicknames.Comparer);
    private readonly Queue<string> _history = new();

    public int Count => _byEndPoint.Count;

    public IEnumerable<ChatMember> Members => _byEndPoint.Values;

    public IReadOnlyCollection<string> History => _history;

    public ChatMember? Find(IPEndPoint endPoint) => _byEndPoint.GetValueOrDefault(endPoint);

    public ChatMember? Find(string nickname) => _byNickname.GetValueOrDefault(nickname);

    public void Add(ChatMember member)
    {
        _byEndPoint.Add(member.EndPoint, member);
        _byNickname.Add(member.Nickname, member);
    }

    public void Remove(ChatMember member)
    {
        _byEndPoint.Remove(member.EndPoint);
        _byNickname.Remove(member.Nickname);
    }

    public void Rename(ChatMember member, string nickname)
    {
        _byNickname.Remove(member.Nickname);
        member.Nickname = nickname;
        _byNickname.Add(nickname, member);
    }

    /// <summary>Every member's nickname, sorted ignoring case.</summary>
    public IReadOnlyList<string> SortedNicknames()
    {
        var names = _byNickname.Values.Select(m => m.Nickname).ToList();
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
