using System.Text;
using Microsoft.Win32.SafeHandles;
using Parley.Shared;

namespace Parley.Cli;

/// <summary>
/// Standard output as the commands write it: a stream whose failures are <see cref="OutputException"/>s (never taken
/// for a lost connection, always one line), and which reports a reader gone away. .NET's console stream ignores
/// EPIPE, so <c>parley ping -c 0 | head -3</c> would probe on for ever after <c>head</c> ended; when standard output
/// is a pipe or a socket, Parley writes to file descriptor 1 itself, the write fails, and the program ends quietly
/// with 141, as a program killed by SIGPIPE does. A regular file keeps the console stream, whose writes share the
/// file's offset with standard error.
/// </summary>
internal static class StandardOutput
{
    private const int BrokenPipe = 32; // EPIPE on Linux and macOS

    /// <summary>The exit code of a program whose output reader went away: 128 + SIGPIPE.</summary>
    public const int BrokenPipeExitCode = 141;

    /// <summary>Standard output as a stream, unbuffered.</summary>
    public static Stream Open() => new Guarded(OpenPipe() ?? Console.OpenStandardOutput());

    /// <summary>A text writer on <paramref name="stream"/> in the console's encoding, flushed at every write like the console's.</summary>
    public static TextWriter Writer(Stream stream)
    {
        var encoding = Console.OutputEncoding is UTF8Encoding ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : Console.OutputEncoding;
        return TextWriter.Synchronized(new StreamWriter(stream, encoding, 4096, leaveOpen: true) { AutoFlush = true });
    }

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

    private static FileStream? OpenPipe()
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

    /// <summary>Passes writes through; a failure becomes an <see cref="OutputException"/>.</summary>
    private sealed class Guarded(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        public override void Flush()
        {
            try
            {
                inner.Flush();
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            try
            {
                await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new OutputException(e);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
