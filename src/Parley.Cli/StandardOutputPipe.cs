using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Parley.Cli;

/// <summary>
/// Standard output as a stream that reports a reader gone away. .NET's console stream ignores EPIPE, so
/// <c>parley ping -c 0 | head -3</c> would probe on for ever after <c>head</c> ended; through this stream the write
/// fails, and the program ends quietly with 141, as a program killed by SIGPIPE does. Only for a pipe or a socket: a
/// regular file is left to the console stream, whose writes share the file's offset with standard error.
/// </summary>
internal static class StandardOutputPipe
{
    private const int BrokenPipe = 32; // EPIPE on Linux and macOS

    /// <summary>The exit code of a program whose output reader went away: 128 + SIGPIPE.</summary>
    public const int ExitCode = 141;

    /// <summary>A stream on file descriptor 1 when it is a pipe or a socket; otherwise null.</summary>
    public static Stream? Open()
    {
        if (OperatingSystem.IsWindows() || !Console.IsOutputRedirected)
        {
            return null;
        }

        try
        {
            var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!stream.CanSeek)
            {
                return stream;
            }

            stream.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Closed, or not something a stream can wrap: the console stream copes.
        }

        return null;
    }

    /// <summary>A text writer on <paramref name="pipe"/>, flushed at every write like the console's.</summary>
    public static TextWriter Writer(Stream pipe) =>
        TextWriter.Synchronized(new StreamWriter(pipe, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 4096, leaveOpen: true) { AutoFlush = true });

    /// <summary>Whether <paramref name="exception"/>, or one inside it, says the reader of standard output went away.</summary>
    public static bool IsBroken(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: BrokenPipe })
            {
                return true;
            }
        }

        return false;
    }
}
