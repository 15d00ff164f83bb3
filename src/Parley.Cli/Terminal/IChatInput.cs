namespace Parley.Cli.Terminal;

/// <summary>Where the chat's lines come from: the keyboard through <see cref="TerminalInput"/>, or a pipe.</summary>
internal interface IChatInput
{
    /// <summary>The next line the user typed, or <see langword="null"/> at the end of input.</summary>
    Task<string?> ReadLineAsync(CancellationToken cancellationToken);
}
