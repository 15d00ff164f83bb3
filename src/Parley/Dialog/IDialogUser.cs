namespace Parley.Dialog;

/// <summary>The person (or script) behind a <see cref="DialogClient"/>: shows texts, answers questions, types messages.</summary>
public interface IDialogUser
{
    /// <summary>Shows a server's <c>say</c>, <c>ready</c>, <c>echo</c>, <c>error</c> or <c>bye</c> to the user.</summary>
    ValueTask ShowAsync(DialogMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the question in <paramref name="question"/> (<see cref="DialogMessage.Text"/>, <see cref="DialogMessage.Default"/>,
    /// and <see cref="DialogMessage.Secret"/>: do not show what is typed). Returns the answer, the default for an
    /// empty answer, or <see langword="null"/> when the input has ended.
    /// </summary>
    ValueTask<string?> AskAsync(DialogMessage question, CancellationToken cancellationToken);

    /// <summary>The next line of conversation, or <see langword="null"/> when the input has ended.</summary>
    ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken);
}
