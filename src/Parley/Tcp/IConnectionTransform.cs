namespace Parley.Tcp;

/// <summary>Wraps an accepted connection's stream (for example in TLS) before the handler runs.</summary>
public interface IConnectionTransform
{
    /// <summary>
    /// Returns the stream the handler will use. Throwing ends the connection; the server logs the exception's
    /// message with the client's address and goes on serving everyone else.
    /// </summary>
    Task<Stream> WrapAsync(ServerConnection connection, Stream stream, CancellationToken cancellationToken);
}
