using System.Net.Sockets;

namespace Parley.Tests.Support;

internal static class SocketExtensions
{
    /// <summary>Reads until the peer closes, returning everything received.</summary>
    public static async Task<byte[]> ReadToEndAsync(this Socket socket, CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return all.ToArray();
            }

            all.Write(buffer, 0, n);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or fewer if the peer closes first.</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Socket socket, int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(result.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return result[..read];
            }

            read += n;
        }

        return result;
    }

    public static async Task SendAllAsync(this Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, cancellationToken)..];
        }
    }
}
