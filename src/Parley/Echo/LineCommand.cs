namespace Parley.Echo;

/// <summary>A command line of the echo protocol.</summary>
public enum LineCommand
{
    /// <summary>No command: plain data.</summary>
    None,

    /// <summary><c>exit</c>: the client leaves.</summary>
    Exit,

    /// <summary><c>stop</c>: the client asks the server to stop.</summary>
    Stop,
}
