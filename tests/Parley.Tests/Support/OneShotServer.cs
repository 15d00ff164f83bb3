using System.Net;
using System.Net.Sockets;

namespace Parley.Tests.Support;

/// <summary>A loopback listener that runs <c>serve</c> on every connection, for servers that misbehave on purpose.</summary>
internal sealed class OneShotServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private OneShotServer(Func<Socket, CancellationToken, Task> serve)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync(serve);
    }

    public int Port { get; }

    public static OneShotServer Start(Func<Socket, CancellationToken, Task> serve) => new(serve);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> serve)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                connections.Add(Task.Run(async () =>
                {
                    using (socket)
                    {
                        try
                        {
                            await serve(socket, _stop.Token);
                        }
                        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
                        {
                            // The probe went away first: that is its business.
                        }
                    }
                }));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Disposed.
        }

        await Task.WhenAll(connections);
    }
}
