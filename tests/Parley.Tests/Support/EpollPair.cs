using System.Net;
using System.Net.Sockets;
using Parley.Epoll;

namespace Parley.Tests.Support;

/// <summary>A loopback connection whose accepted end is an <see cref="EpollStream"/> on one of the engine's loops.</summary>
internal sealed class EpollPair : IDisposable
{
    public required Socket Client { get; init; }

    public required Socket Server { get; init; }

    public required EpollStream Stream { get; init; }

    public required CancellationTokenSource Owner { get; init; }

    /// <summary>
    /// Connects a client and wraps the accepted socket, on <paramref name="loop"/> or the engine's next loop;
    /// <paramref name="beforeAttach"/> runs with the client before the stream is made.
    /// </summary>
    public static async Task<EpollPair> ConnectAsync(CancellationToken ct, Func<Socket, Task>? beforeAttach = null, EpollLoop? loop = null)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!, ct);
        var server = await listener.AcceptAsync(ct);
        if (beforeAttach is not null)
        {
            await beforeAttach(client);
        }

        var owner = new CancellationTokenSource();
        return new EpollPair { Client = client, Server = server, Stream = new EpollStream(server, loop ?? EpollEngine.NextLoop(), owner.Token), Owner = owner };
    }

    public void Dispose()
    {
        Stream.Dispose();
        Server.Dispose();
        Client.Dispose();
        Owner.Dispose();
    }
}
