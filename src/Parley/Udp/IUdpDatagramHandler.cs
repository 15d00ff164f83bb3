namespace Parley.Udp;

/// <summary>Serves the datagrams of a <see cref="UdpServer"/>.</summary>
public interface IUdpDatagramHandler
{
    /// <summary>The service's name for logs, for example <c>chat</c>.</summary>
    string ServiceName { get; }

    /// <summary>The service's settings in effect, in a few words, for the start log.</summary>
    string DescribeSettings();

    /// <summary>
    /// Called once the socket is bound, before the first datagram: keep <paramref name="server"/> to send with
    /// <see cref="UdpServer.SendAsync"/>, and start any timers.
    /// </summary>
    void Started(UdpServer server);

    /// <summary>
    /// Handles one datagram. Datagrams are handed over one at a time, in the order they were received: the next
    /// one waits until the returned task completes. An exception is logged and the server goes on serving.
    /// </summary>
    ValueTask HandleAsync(UdpDatagram datagram);

    /// <summary>
    /// The server is stopping: no datagram will be handled any more, and the socket closes once the returned task
    /// completes, so this is the moment for last words (<see cref="UdpServer.SendAsync"/> still works).
    /// </summary>
    Task StoppingAsync();
}
