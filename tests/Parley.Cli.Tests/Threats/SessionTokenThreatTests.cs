using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests.Threats;

/// <summary>
/// Issue 16, "parley client auth --tls signs in, then parley client auth without --tls to the same host and port": the
/// session token obtained over TLS was sent in clear to whatever answered (a fake plain server), which could then
/// resume the session on the real one. Now a token keeps the transport and certificate it came over, and the client
/// says why it does not send it and asks for the password instead.
/// </summary>
public sealed class SessionTokenThreatTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parley-token-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Sessions => Path.Combine(_folder.FullName, "client", "sessions.json");

    /// <summary>The one kept session and its key (<c>service ID</c>: the servers' hello names their service).</summary>
    private (string Key, JsonElement Entry) Kept()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Sessions));
        var only = Assert.Single(json.RootElement.GetProperty("servers").EnumerateObject());
        return (only.Name, only.Value.Clone());
    }

    [Fact]
    public async Task A_token_obtained_over_TLS_is_never_sent_to_a_plain_server_on_the_same_host_and_port()
    {
        var ct = TestTimeout.Token(TimeSpan.FromSeconds(90));
        var db = Path.Combine(_folder.FullName, "parley.db");
        int port;
        string token, serviceId;
        await using (var server = ParleyProcess.Start(["serve", "auth", "--tls", "--port", "0", "--host", "127.0.0.1", "--db", db]))
        {
            port = await server.WaitForListeningPortAsync(ct);
            var (registered, client) = await ParleyProcess.RunAsync("alice\ncorrect horse\ncorrect horse\nexit\n", ct,
                "client", "auth", "--tls", "--trust-on-first-use", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", Sessions);
            await using var _ = client;
            Assert.True(registered == 0, client.StandardError);
            var (key, entry) = Kept();
            serviceId = key["service ".Length..];
            token = entry.GetProperty("token").GetString()!;
            Assert.Equal("tls", entry.GetProperty("transport").GetString());
            Assert.StartsWith("SHA256:", entry.GetProperty("fingerprint").GetString(), StringComparison.Ordinal);
        }

        // The fake claims the real service's id: the token is kept under it, and still not sent over plain TCP.
        using var fake = new FakePlainDialogServer(port, serviceId);
        var (exit, plain) = await ParleyProcess.RunAsync("", ct,
            "client", "auth", "--host", "127.0.0.1", "--port", $"{port}", "--session-file", Sessions);
        await using var __ = plain;
        var received = await fake.ReceivedAsync(ct);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain(token, received, StringComparison.Ordinal);
        Assert.DoesNotContain("resume", received, StringComparison.Ordinal);
        Assert.Contains($"parley: the session kept for service {serviceId} was obtained over TLS and is not sent over plain TCP",
            plain.StandardError, StringComparison.Ordinal);
        Assert.Equal(token, Kept().Entry.GetProperty("token").GetString());
    }

    [Fact]
    public async Task A_session_file_written_before_transports_were_kept_is_not_sent_and_is_forgotten_with_a_note()
    {
        var ct = TestTimeout.Token();
        using var fake = new FakePlainDialogServer(0);
        const string token = "B0lpEaQWwkFg2qtOW391D1CaZP6P-CQfWKBg-zVpTaU";
        Directory.CreateDirectory(Path.GetDirectoryName(Sessions)!);
        await File.WriteAllTextAsync(Sessions,
            "{\"version\":1,\"servers\":{\"127.0.0.1:" + fake.Port + "\":{\"token\":\"" + token + "\",\"user\":\"alice\",\"expires\":null}}}", ct);

        var (_, client) = await ParleyProcess.RunAsync("", ct,
            "client", "auth", "--host", "127.0.0.1", "--port", $"{fake.Port}", "--session-file", Sessions);
        await using var __ = client;
        var received = await fake.ReceivedAsync(ct);

        Assert.DoesNotContain(token, received, StringComparison.Ordinal);
        Assert.Contains("saved by an older Parley", client.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Sessions, ct), StringComparison.Ordinal);
    }

    /// <summary>A plain TCP dialog server that says hello, asks the user name, and records every byte the client sends.</summary>
    private sealed class FakePlainDialogServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task<string> _received;
        private readonly string _hello;

        public FakePlainDialogServer(int port, string? serviceId = null)
        {
            _hello = serviceId is null
                ? """{"type":"hello","service":"auth","version":1}"""
                : $$"""{"type":"hello","service":"auth","version":1,"serviceId":"{{serviceId}}"}""";
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _received = ServeOneAsync();
        }

        public int Port { get; }

        public Task<string> ReceivedAsync(CancellationToken ct) => _received.WaitAsync(ct);

        public void Dispose() => _listener.Dispose();

        private async Task<string> ServeOneAsync()
        {
            using var socket = await _listener.AcceptSocketAsync();
            await using var stream = new NetworkStream(socket);
            foreach (var json in (string[])[
                _hello,
                """{"type":"ask","id":"username","text":"User name:","secret":false}"""])
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                var frame = new byte[4 + bytes.Length];
                BinaryPrimitives.WriteInt32BigEndian(frame, bytes.Length);
                bytes.CopyTo(frame, 4);
                await stream.WriteAsync(frame);
            }

            var received = new MemoryStream();
            try
            {
                await stream.CopyToAsync(received);
            }
            catch (IOException)
            {
                // The client may reset the connection as it leaves: what it sent before is what matters.
            }

            return Encoding.UTF8.GetString(received.ToArray());
        }
    }
}
