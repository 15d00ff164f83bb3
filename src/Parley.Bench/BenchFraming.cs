namespace Parley.Bench;

/// <summary>How the load generator shapes its messages.</summary>
public enum BenchFraming
{
    /// <summary>Each message is a line: printable ASCII ended by LF, never a command line such as <c>exit</c>.</summary>
    Line,

    /// <summary>Each message is a 4-byte big-endian length, then that many bytes of ASCII text (docs/protocol.md).</summary>
    Length,
}
