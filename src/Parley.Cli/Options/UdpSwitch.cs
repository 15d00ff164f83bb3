using System.CommandLine;
using System.CommandLine.Parsing;

namespace Parley.Cli.Options;

/// <summary>
/// <c>--udp</c> on a command that speaks TCP by default. With it, only the options that make sense over UDP may be
/// given: any other (TCP's, TLS's, framing, and any added later) is refused with exit code 2, as is an option that
/// applies to UDP only when <c>--udp</c> is not given. An allow list rather than a deny list, so that a TCP option
/// added later cannot be silently ignored over UDP.
/// </summary>
internal sealed class UdpSwitch
{
    private readonly Option<bool> _udp;
    private readonly HashSet<string> _allowed = new(StringComparer.Ordinal) { "--udp", "--help" };
    private readonly List<Option> _udpOnly = [];

    /// <param name="description">What <c>--udp</c> does, for the help.</param>
    /// <param name="allowed">The names of the options that apply over UDP, besides the UDP-only ones.</param>
    public UdpSwitch(string description, IEnumerable<string> allowed)
    {
        _udp = new Option<bool>("--udp") { Description = description };
        _allowed.UnionWith(allowed);
    }

    /// <summary>The names of the options an option set adds (<paramref name="add"/>), read from a scratch command.</summary>
    public static IEnumerable<string> NamesOf(Action<Command> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        var scratch = new Command("scratch");
        add(scratch);
        return scratch.Options.Select(o => o.Name).ToList();
    }

    /// <summary>An option that applies with <c>--udp</c> only.</summary>
    public void AddUdpOnly(Option option)
    {
        _udpOnly.Add(option);
        _allowed.Add(option.Name);
    }

    public void AddTo(Command command)
    {
        command.Add(_udp);
        foreach (var option in _udpOnly)
        {
            command.Add(option);
        }

        command.Validators.Add(Validate);
    }

    /// <summary>The <c>--udp</c> option itself.</summary>
    public Option<bool> Option => _udp;

    public bool IsOn(ParseResult result) => result.GetValue(_udp);

    private void Validate(CommandResult result)
    {
        if (!result.Given(_udp))
        {
            foreach (var option in _udpOnly.Where(result.Given))
            {
                result.AddError($"{option.Name} applies with --udp only");
            }

            return;
        }

        foreach (var given in result.Children.OfType<OptionResult>().Where(o => !o.Implicit))
        {
            if (!_allowed.Contains(given.Option.Name))
            {
                result.AddError($"{given.Option.Name} applies to TCP only: leave it out with --udp");
            }
        }
    }
}
