namespace Parley.Cli.Tests.Support;

/// <summary>A <c>parley serve chat</c> process on a UDP port the OS chose, started and waited for.</summary>
internal static class ChatServerProcess
{
    public static async Task<(ParleyProcess Server, int Port)> StartAsync(CancellationToken cancellationToken, params string[] extra)
    {
        var server = ParleyProcess.Start(["serve", "chat", "--port", "0", "--host", "127.0.0.1", .. extra]);
        var port = await server.WaitForListeningPortAsync(cancellationToken);
        return (server, port);
    }
}
