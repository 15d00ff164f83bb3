using System.Collections;
using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text;

namespace Parley.Cli.Commands.Shell;

/// <summary>
/// parley(1), made by walking the command tree: every visible command with its arguments and options, each with its
/// help text and default, then the exit codes and environment variables. It holds no version, date or default read
/// from the environment, so docs/parley.1 stays what the program generates from one commit to the next.
/// </summary>
internal static class ManPage
{
    private static readonly (string Code, string Meaning)[] ExitStatus =
    [
        ("0", "Done."),
        ("1", "The job failed: could not connect or listen, lost the connection, a check failed."),
        ("2", "The command line or the environment was wrong."),
        ("130", "Interrupted by Ctrl+C (128 + SIGINT), where the job has no summary of its own to give."),
        ("141", "Standard output was closed by its reader (for example piped into head), as on SIGPIPE."),
    ];

    private static readonly (string Name, string Meaning)[] Environment =
    [
        ("PARLEY_HOST", "Replaces the built-in default of the --host option of the clients."),
        ("PARLEY_PORT", "Replaces the built-in default of every --port option; an unusable value is an error."),
        ("PARLEY_CERT_PASSWORD", "The password of a PFX/PKCS#12 file given with --cert."),
        ("XDG_CONFIG_HOME", "Where parley keeps what the user decides (known hosts, session tokens): $XDG_CONFIG_HOME/parley, by default ~/.config/parley."),
        ("XDG_DATA_HOME", "Where parley keeps what it makes (the self-signed server certificate): $XDG_DATA_HOME/parley, by default ~/.local/share/parley."),
        ("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "Set to 1 by serve echo and bench unless already set: socket continuations run on the I/O thread."),
    ];

    /// <summary>The whole page, in roff (man(7) macros).</summary>
    public static string Generate(Command root)
    {
        var page = new StringBuilder();
        page.Append(".TH PARLEY 1 \"\" \"\" \"Parley Manual\"\n");
        page.Append(".SH NAME\nparley \\- TCP and UDP servers and clients, and network checks\n");
        page.Append(".SH SYNOPSIS\n.B parley\n.I command\n.RI [ options ]\n.br\n.B parley \\-\\-version\n");
        page.Append(".SH DESCRIPTION\n").Append(Text(root.Description ?? "")).Append('\n');
        page.Append(".PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR for its help.\n");
        page.Append(".SH COMMANDS\n");
        foreach (var command in root.Subcommands.Where(c => !c.Hidden))
        {
            Describe(page, command, "parley");
        }

        page.Append(".SH EXIT STATUS\n");
        foreach (var (code, meaning) in ExitStatus)
        {
            page.Append(".TP\n.B ").Append(code).Append('\n').Append(Text(meaning)).Append('\n');
        }

        page.Append(".SH ENVIRONMENT\n");
        foreach (var (name, meaning) in Environment)
        {
            page.Append(".TP\n.B ").Append(name).Append('\n').Append(Text(meaning)).Append('\n');
        }

        page.Append(".SH SEE ALSO\n.BR ncat (1),\n.BR nc (1)\n");
        return page.ToString();
    }

    private static void Describe(StringBuilder page, Command command, string parent)
    {
        var path = $"{parent} {command.Name}";
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var options = command.Options.Where(o => !o.Hidden && o is not HelpOption).ToList();
        page.Append(".SS \"").Append(Text(path)).Append("\"\n").Append(Text(command.Description ?? "")).Append('\n');
        if (command.Action is not null)
        {
            page.Append(".PP\n.B ").Append(Text(path)).Append('\n');
            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            {
                page.Append(".I ").Append(Text(argument.HelpName ?? argument.Name)).Append('\n');
            }

            if (options.Count > 0)
            {
                page.Append(".RI [ options ]\n");
            }

            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
            {
                page.Append(".TP\n.I ").Append(Text(argument.HelpName ?? argument.Name)).Append('\n')
                    .Append(Text(argument.Description ?? "")).Append('\n');
            }

            foreach (var option in options)
            {
                page.Append(".TP\n").Append(Usage(option)).Append('\n').Append(Text(WithDefault(option))).Append('\n');
            }
        }

        foreach (var subcommand in subcommands)
        {
            Describe(page, subcommand, path);
        }
    }

    /// <summary><c>\fB\-p\fR, \fB\-\-port\fR \fIport\fR</c>.</summary>
    private static string Usage(Option option)
    {
        var names = option.Aliases.OrderBy(a => a.Length).Append(option.Name).Distinct()
            .OrderBy(a => a.StartsWith("--", StringComparison.Ordinal) ? 1 : 0).ThenBy(a => a, StringComparer.Ordinal)
            .Select(a => $"\\fB{Text(a)}\\fR");
        var usage = string.Join(", ", names);
        return !IsFlag(option) ? $"{usage} \\fI{Text(option.HelpName ?? "value")}\\fR" : usage;
    }

    private static string WithDefault(Option option)
    {
        var description = option.Description ?? "";
        if (!option.HasDefaultValue || IsFlag(option))
        {
            return description;
        }

        var value = option.GetDefaultValue() switch
        {
            null => null,
            string text => text,
            IEnumerable values => string.Join(", ", values.Cast<object>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
        return string.IsNullOrEmpty(value) ? description : $"{description} (default: {value})";
    }

    private static bool IsFlag(Option option) => option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0;

    /// <summary>Text made safe for roff: backslashes and hyphens escaped, no line starting with a control character.</summary>
    private static string Text(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
