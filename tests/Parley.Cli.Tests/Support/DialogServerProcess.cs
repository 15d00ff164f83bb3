namespace Parley.Cli.Tests.Support;

/// <summary>A <c>parley serve ident</c> or <c>serve auth</c> process on a port the OS chose.</summary>
internal static class DialogServerProcess
{
    public static async Task<(ParleyProcess Server, int Port)> StartAsync(string service, string database, CancellationToken cancellationToken, params string[] extra)
    {
        var server = ParleyProcess.Start(["serve", service, "--port", "0", "--host", "127.0.0.1", "--db", database, .. extra]);
        var port = await server.WaitForListeningPortAsync(cancellationToken);
        return (server, port);
    }
}
