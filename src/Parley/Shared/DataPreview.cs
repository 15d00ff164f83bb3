namespace Parley.Shared;

/// <summary>A short printable preview of bytes for logs: control characters and bytes that are not text escaped.</summary>
internal static class DataPreview
{
    public const int DefaultLength = 48;

    /// <summary>See <see cref="Shared.TerminalText.Preview"/>.</summary>
    public static string Of(ReadOnlySpan<byte> data, int maxChars = DefaultLength) => Shared.TerminalText.Preview(data, maxChars);
}
