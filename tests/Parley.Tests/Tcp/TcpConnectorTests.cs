using System.Net;
using System.Net.Sockets;
using Parley.Tcp;
using Parley.Tests.Support;

namespace Parley.Tests.Tcp;

public sealed class TcpConnectorTests
{
    [Fact]
    public async Task Every_address_is_tried_in_the_order_given_and_the_one_reached_is_named()
    {
        var ct = TestTimeout.Token();
        using var listener = Listen(IPAddress.Loopback, 0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        // The same port bound but not listening on 127.0.0.2: a connect there is refused at once.
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port));
        var (factory, logs) = TestLogging.Create();

        await using var connection = await TcpConnector.ConnectAsync(
            "parley-test", [IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port, logger: factory.CreateLogger("client"), cancellationToken: ct);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), connection.RemoteEndPoint);
        Assert.Equal(
            [$"127.0.0.2:{port}", $"127.0.0.1:{port}"],
            logs.Events("Connecting").Select(e => e.GetStructuredStateValue("EndPoint")));
        var failed = Assert.Single(logs.Events("ConnectAttemptFailed"));
        Assert.Equal($"Could not reach 127.0.0.2:{port}: connection refused; trying the next address", failed.Message);
        var connected = Assert.Single(logs.Events("Connected"));
        Assert.Equal($"Connected to parley-test:{port} at 127.0.0.1:{port}", connected.Message);
    }

    [Fact]
    public async Task When_every_address_fails_the_error_names_each_with_its_reason()
    {
        var ct = TestTimeout.Token();
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)deaf.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.ConnectAsync(
            "parley-test", [IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port, cancellationToken: ct));

        Assert.Equal(ConnectFailure.Refused, error.Failure);
        Assert.Equal($"cannot connect to parley-test:{port}: connection refused", error.Message);
    }

    [Fact]
    public async Task An_address_literal_resolves_to_itself_and_a_family_it_is_not_is_an_error()
    {
        var ct = TestTimeout.Token();

        Assert.Equal([IPAddress.IPv6Loopback], await TcpConnector.ResolveAsync("::1", 9000, cancellationToken: ct));
        var error = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.ResolveAsync("::1", 9000, AddressFamily.InterNetwork, ct));
        Assert.Equal("cannot connect to [::1]:9000: ::1 is not an IPv4 address", error.Message);
    }

    [Fact]
    public async Task An_unknown_name_is_an_unknown_host()
    {
        var ct = TestTimeout.Token();

        var error = await Assert.ThrowsAsync<ConnectException>(() => TcpConnector.ResolveAsync("no-such-host.invalid", 9000, cancellationToken: ct));

        Assert.Equal(ConnectFailure.UnknownHost, error.Failure);
        Assert.Contains("spelling", error.Hint, StringComparison.Ordinal);
    }

    private static Socket Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen(16);
        return socket;
    }
}
