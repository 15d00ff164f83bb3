using System.CommandLine;

namespace Parley.Cli.Options;

/// <summary>
/// The framed echo server's limits on unfinished messages: <c>--frame-timeout</c> (a message arrives whole within
/// it) and <c>--max-buffered</c> (the memory all unfinished messages may hold together).
/// </summary>
internal sealed class FramedServerOptions
{
    /// <summary>The default <c>--frame-timeout</c>.</summary>
    public static readonly TimeSpan DefaultFrameTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default <c>--max-buffered</c>, 256 MB.</summary>
    public const long DefaultMaxBuffered = 256_000_000;

    private readonly Option<Duration> _frameTimeout = OptionFactory.Duration(
        "--frame-timeout", "With --framing length: a message must arrive whole within this long of its first byte, or the client is disconnected",
        DefaultFrameTimeout);

    private readonly Option<string> _maxBuffered = OptionFactory.Size(
        "--max-buffered",
        "With --framing length: the most memory the unfinished messages of all clients may hold together, in bytes or with KB, MB, GB; "
            + "a client whose message needs more is disconnected; 0 = unlimited",
        "256MB", "256MB, 64MB, or 0 for unlimited (at least 1KB)", zeroMeansUnlimited: true);

    public void AddTo(Command command)
    {
        command.Add(_frameTimeout);
        command.Add(_maxBuffered);
    }

    public TimeSpan FrameTimeout(ParseResult result) => result.GetValue(_frameTimeout).Value;

    public long MaxBuffered(ParseResult result) =>
        result.GetValue(_maxBuffered)!.Trim() == "0" ? 0 : OptionFactory.TryParseSize(result.GetValue(_maxBuffered)!, out var size) ? size : DefaultMaxBuffered;
}
