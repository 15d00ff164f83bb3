namespace Parley.Echo;

/// <summary>
/// What <see cref="LineCommandDetector.Scan"/> found in one read: the bytes to echo are
/// <c>buffer[EchoStart..EchoEnd]</c>; <see cref="Command"/> is a command line that ended in this read, if any.
/// </summary>
internal readonly record struct LineScan(int EchoStart, int EchoEnd, LineCommand Command, bool StopRefused)
{
    public int EchoLength => EchoEnd - EchoStart;
}
