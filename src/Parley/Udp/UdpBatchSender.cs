using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Udp;

/// <summary>
/// Sends several datagrams with one system call where the system has one (Linux's <c>sendmmsg(2)</c>), never waiting:
/// what cannot go at once (a full send buffer, an error for one destination) is left to the caller's portable send,
/// which waits for room or reports the error, one datagram at a time. Elsewhere it sends nothing and the caller sends
/// every datagram that way. Not thread-safe: one caller at a time.
/// </summary>
internal sealed unsafe partial class UdpBatchSender
{
    /// <summary>At most this many datagrams per system call.</summary>
    public const int MaxBatch = 256;

    private const int MsgDontWait = 0x40;

    private readonly MemoryHandle[] _pins = new MemoryHandle[2 * MaxBatch];
    private bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Sends datagrams from the start of <paramref name="batch"/>, in order, as many as go at once; returns how many
    /// went: 0 when the first one did not (the system has no batched send, the buffer is full, or sending to its
    /// destination fails).
    /// </summary>
    public int TrySend(Socket socket, ReadOnlySpan<UdpOutgoing> batch)
    {
        if (_unavailable || batch.IsEmpty)
        {
            return 0;
        }

        var count = Math.Min(batch.Length, MaxBatch);
        var messages = stackalloc MultiMessageHeader[count];
        var vectors = stackalloc IoVector[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                var (datagram, address) = (batch[i].Datagram, batch[i].Address.Buffer);
                _pins[2 * i] = datagram.Pin();
                _pins[(2 * i) + 1] = address.Pin();
                vectors[i] = new IoVector { Base = _pins[2 * i].Pointer, Length = (nuint)datagram.Length };
                messages[i] = new MultiMessageHeader
                {
                    Header = new MessageHeader
                    {
                        Name = _pins[(2 * i) + 1].Pointer,
                        NameLength = (uint)batch[i].Address.Size,
                        Vectors = &vectors[i],
                        VectorCount = 1,
                    },
                };
            }

            var sent = SendMany(socket.SafeHandle, messages, (uint)count, MsgDontWait);
            return sent > 0 ? sent : 0;
        }
        catch (EntryPointNotFoundException)
        {
            // A libc without sendmmsg (or none by that name): send one at a time from now on.
            _unavailable = true;
            return 0;
        }
        catch (DllNotFoundException)
        {
            _unavailable = true;
            return 0;
        }
        finally
        {
            for (var i = 0; i < 2 * count; i++)
            {
                _pins[i].Dispose();
                _pins[i] = default;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMany(SafeSocketHandle socket, MultiMessageHeader* messages, uint count, int flags);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (glibc and musl alike on little-endian systems).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c>: the header and, on return, the bytes sent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }
}
