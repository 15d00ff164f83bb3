namespace Parley.Tcp;

/// <summary>Serves the accepted connections of a <see cref="TcpServer"/>.</summary>
public interface ITcpConnectionHandler
{
    /// <summary>The service's name for logs, for example <c>echo</c>.</summary>
    string ServiceName { get; }

    /// <summary>The service's settings in effect, in a few words, for the start log.</summary>
    string DescribeSettings();

    /// <summary>
    /// Serves <paramref name="connection"/> until the conversation ends. The server closes the connection when
    /// the returned task completes. Read with <see cref="ServerConnection.Stopping"/> so that a stopping server
    /// can end the conversation; record why it ended with <see cref="ServerConnection.SetCloseReason"/>.
    /// </summary>
    Task HandleAsync(ServerConnection connection);
}
