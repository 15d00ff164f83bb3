namespace Parley.Cli.Commands.Shell;

/// <summary>
/// The per-shell scripts <c>parley completion SHELL</c> prints. Each hands the words typed so far, less the program
/// name, to <c>parley [suggest:N] "words"</c> (System.CommandLine's suggest directive, N the cursor position in
/// them) and offers what comes back, one completion a line; the answers come from the command tree itself.
/// </summary>
internal static class CompletionScripts
{
    public static readonly string[] Shells = ["bash", "zsh", "fish", "powershell"];

    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        "powershell" => PowerShell,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "no completion script for this shell"),
    };

    private const string Bash = """
        # bash completion for parley. Load it with: source <(parley completion bash)
        _parley_complete()
        {
            local line="${COMP_WORDS[*]:1:COMP_CWORD}"
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _parley_complete parley

        """;

    private const string Zsh = """
        #compdef parley
        # zsh completion for parley. Load it with: source <(parley completion zsh) (after compinit)
        _parley() {
          local line="${(j: :)words[2,CURRENT]}"
          local -a completions
          completions=("${(@f)$("${words[1]}" "[suggest:${#line}]" "$line" 2>/dev/null)}")
          compadd -- "${completions[@]}"
        }
        compdef _parley parley

        """;

    private const string Fish = """
        # fish completion for parley. Load it with: parley completion fish | source
        function __parley_complete
            set -l before (commandline -opc)
            set -l line (string join ' ' -- $before[2..-1] (commandline -ct | string collect))
            $before[1] "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c parley -f -a '(__parley_complete)'

        """;

    private const string PowerShell = """
        # PowerShell completion for parley. Load it with: parley completion powershell | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName parley -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $typed = $commandAst.Extent.Text
            $end = [Math]::Min($typed.Length, $cursorPosition - $commandAst.Extent.StartOffset)
            $line = ($typed.Substring(0, $end) -replace '^\S+\s*', '')
            if ($wordToComplete -eq '' -and $line -ne '' -and -not $line.EndsWith(' ')) { $line += ' ' }
            & $commandAst.CommandElements[0].Extent.Text "[suggest:$($line.Length)]" $line 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
