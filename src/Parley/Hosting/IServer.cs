using System.Net;
using Parley.Net;

namespace Parley.Hosting;

/// <summary>What every Parley server, TCP or UDP, offers the program that runs it.</summary>
public interface IServer : IAsyncDisposable
{
    /// <summary>The endpoint the server is bound to (after <see cref="Start"/>).</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>Every address and port the server can be reached at on this machine (after <see cref="Start"/>).</summary>
    IReadOnlyList<IPEndPoint> ReachableAt { get; }

    /// <summary>Completes once the server has stopped.</summary>
    Task Completion { get; }

    /// <summary>Whether a stop has been asked for: the server takes no new work (a health check answers "stopping").</summary>
    bool IsStopping { get; }

    /// <summary>Binds and starts serving; throws <see cref="ListenException"/> when no port could be bound.</summary>
    void Start();

    /// <summary>Asks the server to stop, naming who asked, without waiting; <see cref="Completion"/> tells when it has.</summary>
    void RequestStop(string requestedBy);

    /// <summary>Stops the server and waits until it has; calling it again returns the same task.</summary>
    Task StopAsync(string requestedBy = "the host");
}
