using Microsoft.Extensions.Logging;

namespace Parley.Tcp;

/// <summary>
/// Changes a client connection once TCP is up, before anything is sent (for example puts it in TLS:
/// <see cref="Tls.TlsClientOptions"/>); the client side of <see cref="IConnectionTransform"/>.
/// </summary>
public interface IClientConnectionTransform
{
    /// <summary>
    /// Applies the transform, replacing <see cref="ClientConnection.Stream"/> as needed. Throwing (a
    /// <see cref="Shared.ParleyException"/> for a failure the user should see) ends the connection.
    /// </summary>
    Task ApplyAsync(ClientConnection connection, ILogger logger, CancellationToken cancellationToken);
}
