using System.CommandLine;
using Parley.Cli.Options;
using Parley.Echo;
using Parley.Framing;

namespace Parley.Cli.Commands.Echo;

/// <summary>The echo modes, shared by the echo server and client: <c>--framing line|length</c> and <c>--raw</c>.</summary>
internal sealed class EchoModeOptions
{
    private readonly Option<string> _framing = Options.OptionFactory.Choice(
        "--framing", "line: lines with the commands exit and stop; length: 4-byte length-prefixed messages (docs/protocol.md)",
        "line", "line", "length");

    private readonly Option<bool> _raw;

    private readonly Option<int> _maxMessage = Options.OptionFactory.Int(
        "--max-message-size", "With --framing length: the largest message accepted, in bytes",
        LengthPrefixCodec.DefaultMaxMessageBytes, 0, int.MaxValue - LengthPrefixCodec.HeaderLength, "bytes");

    public EchoModeOptions(string rawDescription)
    {
        _raw = new Option<bool>("--raw") { Description = rawDescription };
    }

    public void AddTo(Command command)
    {
        command.Add(_framing);
        command.Add(_raw);
        command.Add(_maxMessage);
        command.Validators.Add(result =>
        {
            if (result.Given(_raw) && string.Equals(result.Typed(_framing), "length", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError("--raw and --framing length do not go together: raw echo has no framing");
            }
        });
    }

    public EchoMode Mode(ParseResult result) =>
        result.GetValue(_raw) ? EchoMode.Raw : result.GetValue(_framing) == "length" ? EchoMode.Framed : EchoMode.Line;

    public int MaxMessageBytes(ParseResult result) => result.GetValue(_maxMessage);
}
