using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Commands.Shell;

/// <summary>
/// <c>parley completion bash</c> sourced in a real bash, asked as bash asks when Tab is pressed: COMP_WORDS and
/// COMP_CWORD set, the completion function called, COMPREPLY read.
/// </summary>
public sealed class CompletionProcessTests
{
    [Theory]
    [InlineData("se", "serve")]
    [InlineData("serve echo --fr", "--frame-timeout --framing")]
    [InlineData("serve echo --framing ''", "length line")]
    [InlineData("client --log-level w", "warning")]
    [InlineData("completion p", "powershell")]
    public async Task Tab_in_bash_completes_commands_options_and_fixed_choices(string typed, string expected)
    {
        var completions = await BashCompletionsAsync(typed);

        Assert.Equal(expected.Split(' '), completions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Options_that_a_command_does_not_have_are_not_offered()
    {
        var completions = await BashCompletionsAsync("serve echo --");

        Assert.Contains("--port", completions);
        Assert.DoesNotContain("--session-file", completions);
    }

    [Fact]
    public async Task An_unknown_shell_is_one_line_on_standard_error_and_exit_code_2()
    {
        var (exit, parley) = await ParleyProcess.RunAsync("", TestTimeout.Token(), "completion", "tcsh");
        await using var _ = parley;

        Assert.Equal(2, exit);
        Assert.StartsWith("parley: 'tcsh' is not a shell parley completes: bash, zsh, fish, powershell\n", parley.StandardError, StringComparison.Ordinal);
        Assert.Equal("", parley.StandardOutput);
    }

    /// <summary>What bash offers for <c>parley TYPED&lt;TAB&gt;</c>; <paramref name="typed"/> is bash words.</summary>
    private static async Task<string[]> BashCompletionsAsync(string typed)
    {
        const string Script = """
            PATH="$(dirname "$0"):$PATH"
            source <("$0" completion bash) || exit 3
            eval "COMP_WORDS=(parley $1)"
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _parley_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var ct = TestTimeout.Token();
        await using var bash = ParleyProcess.StartWrapped("bash", ["-c", Script], [typed]);
        bash.Input.Close();

        Assert.Equal(0, await bash.WaitForExitAsync(ct));
        return bash.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
