using System.Net;
using System.Net.Sockets;
using Parley.Shared;

namespace Parley.Ping;

/// <summary>
/// Runs one probe against a loopback echo of our own before the first real probe, so that the first probe measures
/// the network, not the JIT compiling the socket and probe code (tens of milliseconds otherwise). PsPing warms up
/// in the same spirit (<c>-w</c>), but against the target; this sends the target nothing extra.
/// </summary>
internal static class PingWarmUp
{
    public static async Task RunAsync(Func<IPAddress, int, CancellationToken, Task<ProbeResult>> probe, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(1));
        Task? echoing = null;
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            echoing = EchoOnceAsync(listener, limit.Token);
            await probe(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndPoint!).Port, limit.Token).ConfigureAwait(false);
            await echoing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ParleyException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Best effort: without loopback (a bare network namespace), the first probe is just slower.
        }
        finally
        {
            if (echoing is { IsCompleted: false })
            {
                await limit.CancelAsync().ConfigureAwait(false);
                await echoing.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private static async Task EchoOnceAsync(Socket listener, CancellationToken cancellationToken)
    {
        using var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (await connection.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false) is var n and > 0)
        {
            await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }
}
