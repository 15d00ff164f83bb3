using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Parley.Hosting;
using StackExchange.Redis;

namespace Parley.Chat.Redis;

/// <summary>
/// The chat servers of one room joined through Redis (<see cref="IChatRelay"/>): events on one pub/sub channel, the
/// nicknames claimed by Lua scripts in one hash with their expiry in a sorted set, the history in a list; the database
/// and the room are part of every name. What the chat hands over is queued (at most
/// <see cref="RedisChatRelayOptions.MaxQueued"/>) and sent by one loop, in order, so the chat never waits for Redis.
/// A timer keeps this server's nicknames claimed, sweeps the expired ones of dead servers, and, when the connection
/// is lost, tries again with a growing delay until Redis answers.
/// </summary>
internal sealed partial class RedisChatRelay : IChatRelay, IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly RedisChatRelayOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _database;
    private readonly RedisKey[] _keys;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly Channel<Command> _queue;
    private readonly Dictionary<string, string> _mine = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _period;
    private IChatRelayListener? _listener;
    private ChannelMessageQueue? _subscription;
    private Task _sending = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private int _status = (int)ChatRelayStatus.Connected;
    private int _disposed;

    private RedisChatRelay(RedisChatRelayOptions options, ConnectionMultiplexer redis, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _redis = redis;
        _database = redis.GetDatabase(options.Url.Database);
        var prefix = $"parley:chat:{options.Url.Database}:{options.Room}";
        _keys = [prefix + ":holders", prefix + ":expiry", prefix + ":history"];
        _channelName = prefix + ":events";
        _channel = RedisChannel.Literal(_channelName);
        _queue = Channel.CreateBounded<Command>(new BoundedChannelOptions(options.MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _period = TimeSpan.FromTicks(Math.Clamp(options.MemberTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        ServerId = Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>This server's id in the room, unique per process.</summary>
    public string ServerId { get; }

    /// <summary>The channel the room's events go through (for tests and diagnostics).</summary>
    internal string ChannelName => _channelName;

    /// <inheritdoc />
    public ChatRelayStatus Status => (ChatRelayStatus)Volatile.Read(ref _status);

    /// <summary>
    /// The check behind <c>/healthz</c>: a PING to Redis (issue 20: the relay is checked actively, not only by what the
    /// relay last saw); unhealthy with one line while Redis does not answer or the relay has not yet claimed its
    /// members again.
    /// </summary>
    public async ValueTask<HealthStatus> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthStatus.Unhealthy($"the chat relay cannot reach Redis: {e.Message}");
        }

        return Status == ChatRelayStatus.Connected ? HealthStatus.Healthy : HealthStatus.Unhealthy("the chat relay is reconnecting to Redis");
    }

    /// <summary>Relay commands waiting to go to Redis.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Connects to Redis and subscribes to the room; a server that cannot be reached within
    /// <see cref="RedisChatRelayOptions.ConnectTimeout"/> is a <see cref="RedisRelayException"/> naming its host and port.
    /// </summary>
    public static async Task<RedisChatRelay> ConnectAsync(RedisChatRelayOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var url = options.Url;
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            User = url.User,
            Password = url.Password,
            DefaultDatabase = url.Database,
            ClientName = "parley-chat",
            // Commands while disconnected fail at once rather than wait in a backlog: a message said during an outage
            // must not reach the other servers minutes later, and a claim must be refused, not delayed.
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(250, (int)MaxRetryDelay.TotalMilliseconds),
        };
        configuration.EndPoints.Add(url.Host, url.Port);
        ConnectionMultiplexer redis;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            throw new RedisRelayException($"cannot reach the chat relay at {url.HostAndPort}: {Redacted(Reason(e), url)}", e);
        }

        var relay = new RedisChatRelay(options, redis, loggerFactory.CreateLogger("Parley.Chat.Redis"));
        try
        {
            await relay.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
            throw new RedisRelayException($"cannot use the chat relay at {url.HostAndPort}: {Redacted(Reason(e), url)}", e);
        }

        return relay;
    }

    private async Task StartAsync()
    {
        _subscription = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
        _subscription.OnMessage(Received);
        await _database.PingAsync().ConfigureAwait(false);
        _redis.ConnectionFailed += (_, e) => MarkLost(e.FailureType.ToString());
        RedisRelayLog.Connected(_logger, _options.Room, _options.Url.ToString(), ServerId);
    }

    /// <inheritdoc />
    public void Attach(IChatRelayListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (Interlocked.CompareExchange(ref _listener, listener, null) is not null)
        {
            throw new InvalidOperationException("The relay already has a listener.");
        }

        _sending = SendAsync();
        _refreshing = RefreshAsync();
    }

    /// <inheritdoc />
    public Task<ChatClaimResult> ClaimAsync(string nickname, string? previous)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        var command = new Command(previous is null ? Kind.Join : Kind.Rename, nickname, previous ?? "", "", new TaskCompletionSource<ChatClaimResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        return Status == ChatRelayStatus.Connected && _queue.Writer.TryWrite(command)
            ? command.Claimed!.Task
            : Task.FromResult(new ChatClaimResult(ChatClaim.Unavailable));
    }

    /// <inheritdoc />
    public void Release(string nickname, bool timedOut)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        lock (_lock)
        {
            _mine.Remove(Nicknames.Key(nickname));
        }

        if (Status == ChatRelayStatus.Connected)
        {
            _queue.Writer.TryWrite(new Command(timedOut ? Kind.TimedOut : Kind.Left, nickname, "", ""));
        }
    }

    /// <inheritdoc />
    public bool Publish(string nickname, string text) =>
        Status == ChatRelayStatus.Connected && _queue.Writer.TryWrite(new Command(Kind.Public, nickname, "", text));

    /// <inheritdoc />
    public bool SendPrivate(string from, string to, string text) =>
        Status == ChatRelayStatus.Connected && _queue.Writer.TryWrite(new Command(Kind.Private, from, to, text));

    /// <summary>Sends what is queued (the members' leaving, when stopping), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sending.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RedisRelayLog.StoppedUnsent(_logger, _queue.Reader.Count);
        }

        await _refreshing.ConfigureAwait(false);
        await _redis.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// The library's first sentence only: StackExchange.Redis follows it with advice for programmers (abortConnect,
    /// AbortOnConnectFail) that means nothing to someone starting a server.
    /// </summary>
    private static string Reason(Exception e)
    {
        var line = e.Message.Split('\n')[0].Trim();
        var end = line.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? line[..(end + 1)] : line;
    }

    /// <summary>The library's message, with the password taken out should it ever show it.</summary>
    private static string Redacted(string message, RedisRelayUrl url) =>
        url.Password is { Length: > 0 } password ? message.Replace(password, "*****", StringComparison.Ordinal) : message;
}
