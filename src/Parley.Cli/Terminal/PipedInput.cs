namespace Parley.Cli.Terminal;

/// <summary>Lines from standard input when it is not a terminal: read as they are, nothing drawn.</summary>
internal sealed class PipedInput(TextReader reader) : IChatInput
{
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await reader.ReadLineAsync(cancellationToken);
}
