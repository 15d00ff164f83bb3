namespace Parley.Tcp;

/// <summary>Wraps an accepted connection's stream (for example in TLS) before the handler runs.</summary>
public interface IConnectionTransform
{
    /// <summary>
    /// Called once when the server starts, before it binds: load what is needed (a certificate) and log it. Throwing
    /// stops the start.
    /// </summary>
    void Start(Microsoft.Extensions.Logging.ILogger logger);

    /// <summary>
    /// Returns the stream the handler will use. Throwing ends the connection; the server logs the exception's
    /// message with the client's address and goes on serving everyone else.
    /// </summary>
    Task<Stream> WrapAsync(ServerConnection connection, Stream stream, CancellationToken cancellationToken);
}
