using System.CommandLine;
using Microsoft.Extensions.Logging;
using Parley.Chat;
using Parley.Chat.Redis;

namespace Parley.Cli.Options;

/// <summary>
/// <c>--relay redis://...</c> (default <c>$PARLEY_RELAY</c>) and <c>--room NAME</c>: the chat servers with the same
/// relay and room serve one room. Without a relay the chat is this server alone.
/// </summary>
internal sealed class RelayOption
{
    public const string Variable = "PARLEY_RELAY";
    public const string DefaultRoom = "parley";

    private readonly Option<string> _relay = new("--relay")
    {
        Description = $"Serve one room with the other chat servers on this Redis: redis://[:PASSWORD@]HOST[:PORT][/DB] (default: ${Variable}, else none: this server alone)",
        HelpName = "url",
    };

    private readonly Option<string> _room = new("--room")
    {
        Description = $"The room on the relay: the chat servers with the same relay and room are one chat (default: {DefaultRoom})",
        HelpName = "name",
        DefaultValueFactory = _ => DefaultRoom,
    };

    public void AddTo(Command command)
    {
        command.Add(_relay);
        command.Add(_room);
    }

    /// <summary>The relay's URL, or null for none; a malformed one is a bad command line (exit 2), before anything is opened.</summary>
    public RedisRelayUrl? Url(ParseResult result)
    {
        var text = result.GetValue(_relay) ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var source = result.GetValue(_relay) is null ? Variable : "--relay";
        if (!RedisRelayUrl.TryParse(text.Trim(), out var url, out var problem))
        {
            throw new CliException($"{source}: {problem}", ExitCodes.Usage);
        }

        var room = Room(result);
        if (room.Length is 0 or > 64 || !room.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new CliException($"--room: '{room}' is not a room name: use 1 to 64 letters, digits, '-', '_' or '.'", ExitCodes.Usage);
        }

        return url;
    }

    public string Room(ParseResult result) => result.GetValue(_room) ?? DefaultRoom;

    /// <summary>Connects the relay (none without a URL); one that cannot be reached is one line naming its host and port, exit 1.</summary>
    public async Task<RedisChatRelay?> ConnectAsync(RedisRelayUrl? url, ParseResult result, ChatServerOptions chat, ILoggerFactory logs)
    {
        if (url is null)
        {
            return null;
        }

        try
        {
            return await RedisChatRelay.ConnectAsync(
                new RedisChatRelayOptions { Url = url, Room = Room(result), MemberTimeout = chat.MemberTimeout, History = chat.History }, logs);
        }
        catch (RedisRelayException e)
        {
            throw new CliException(e.Message);
        }
    }
}
