// A framed echo server and client over Parley.Sockets' MessageSocket: each line is sent as one message and the server
// sends each message back. `dotnet run -- server 9000` serves on 127.0.0.1:9000 until Ctrl+C; `dotnet run -- client
// 9000` sends each line of standard input and prints each reply; `dotnet run` does both on a free port with three
// messages. `parley serve echo --framing length` and `parley client --framing length` speak the same framing.
using System.Net;
using System.Net.Sockets;
using Parley.Framing;

switch (args)
{
    case ["server", var port]:
        using (var listener = Listen(int.Parse(port)))
        {
            Console.Error.WriteLine($"Listening on {listener.LocalEndPoint}");
            await ServeAsync(listener, CancellationToken.None);
        }

        break;
    case ["client", var port]:
        await RunClientAsync(int.Parse(port), ReadLines());
        break;
    case []:
        using (var listener = Listen(0))
        {
            using var stop = new CancellationTokenSource();
            var serving = ServeAsync(listener, stop.Token);
            await RunClientAsync(((IPEndPoint)listener.LocalEndPoint!).Port, ["hello", "", "Привет"]);
            await stop.CancelAsync();
            await serving;
        }

        break;
    default:
        Console.Error.WriteLine("usage: FramedEcho [server PORT | client PORT]");
        return 2;
}

return 0;

static Socket Listen(int port)
{
    var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
    listener.Listen();
    return listener;
}

static async Task ServeAsync(Socket listener, CancellationToken cancellationToken)
{
    try
    {
        while (true)
        {
            var client = (MessageSocket)await listener.AcceptAsync(new MessageSocket(listener.AddressFamily), cancellationToken);
            _ = EchoAsync(client);
        }
    }
    catch (OperationCanceledException)
    {
        // Asked to stop: the listener is closed by the caller.
    }
}

static async Task EchoAsync(MessageSocket client)
{
    using (client)
    {
        try
        {
            while (await client.ReceiveMessageAsync() is { } message)
            {
                await client.SendMessageAsync(message);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or MessageProtocolException)
        {
            Console.Error.WriteLine($"client {client.RemoteEndPoint}: {e.Message}");
        }
    }
}

static async Task RunClientAsync(int port, IEnumerable<string> lines)
{
    using var socket = new MessageSocket(AddressFamily.InterNetwork);
    await socket.ConnectAsync(IPAddress.Loopback, port);
    foreach (var line in lines)
    {
        await socket.SendMessageAsync(line);
        Console.WriteLine(await socket.ReceiveMessageAsync() ?? "(server closed the connection)");
    }
}

static IEnumerable<string> ReadLines()
{
    while (Console.ReadLine() is { } line)
    {
        yield return line;
    }
}
