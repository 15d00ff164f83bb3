namespace Parley.Cli.Terminal;

/// <summary>What a key did to a <see cref="LineEditor"/>.</summary>
internal enum LineEditAction
{
    /// <summary>Nothing visible changed.</summary>
    None,

    /// <summary>The line or the cursor changed: draw it again.</summary>
    Changed,

    /// <summary>Enter: the line is done (see <see cref="LineEditor.Submitted"/>); the editor is empty again.</summary>
    Submitted,

    /// <summary>Ctrl+D on an empty line: the user has nothing more to type.</summary>
    EndOfInput,
}
