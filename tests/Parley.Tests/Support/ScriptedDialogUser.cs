using System.Collections.Concurrent;
using Parley.Dialog;

namespace Parley.Tests.Support;

/// <summary>A dialog user that answers and types from a script, and records what it was shown and asked.</summary>
internal sealed class ScriptedDialogUser(IEnumerable<string?> answers, IEnumerable<string> lines) : IDialogUser
{
    private readonly Queue<string?> _answers = new(answers);
    private readonly Queue<string> _lines = new(lines);

    public ConcurrentQueue<DialogMessage> Shown { get; } = new();

    public ConcurrentQueue<DialogMessage> Asked { get; } = new();

    public IEnumerable<string> ShownTypes => Shown.Select(m => m.Type!);

    public ValueTask ShowAsync(DialogMessage message, CancellationToken cancellationToken)
    {
        Shown.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> AskAsync(DialogMessage question, CancellationToken cancellationToken)
    {
        Asked.Enqueue(question);
        return ValueTask.FromResult(_answers.Count > 0 ? _answers.Dequeue() : null);
    }

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_lines.Count > 0 ? _lines.Dequeue() : null);
}
