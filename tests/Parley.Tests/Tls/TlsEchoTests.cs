using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Echo;
using Parley.Framing;
using Parley.Tcp;
using Parley.Tests.Support;
using Parley.Tls;

namespace Parley.Tests.Tls;

public sealed class TlsEchoTests
{
    // The epoll engine is asked for, as the echo server's default asks: TLS connections keep to the runtime's sockets.
    private static LoopbackServer StartTls(EchoMode mode = EchoMode.Line, TimeSpan? handshakeTimeout = null) =>
        LoopbackServer.Start(logs => new EchoHandler(new EchoOptions { Mode = mode }, logs), o =>
        {
            o.Engine = TcpEngine.Epoll;
            o.Transform = TlsTestCertificates.Transform(handshakeTimeout: handshakeTimeout);
        });

    private static TlsClientOptions Pinned() => new() { Pinned = CertificateFingerprint.Of(TlsTestCertificates.Localhost) };

    private static Task<ClientConnection> ConnectAsync(LoopbackServer server, TlsClientOptions? tls, CancellationToken ct, string host = "127.0.0.1") =>
        TcpConnector.ConnectAsync(host, server.Port, new ConnectOptions { Tls = tls }, NullLogger.Instance, ct);

    [Fact]
    public async Task Line_mode_works_unchanged_over_TLS()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls();
        await using var client = await ConnectAsync(server, Pinned(), ct);

        await client.Stream.WriteAsync("over tls\nexit\n"u8.ToArray(), ct);
        var echoed = new MemoryStream();
        await client.Stream.CopyToAsync(echoed, ct);

        Assert.Equal("over tls\n", Encoding.ASCII.GetString(echoed.ToArray()));
        Assert.IsType<System.Net.Security.SslStream>(client.Stream);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains("TLS on, engine sockets,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Framed_mode_works_unchanged_over_TLS()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls(EchoMode.Framed);
        await using var client = await ConnectAsync(server, Pinned(), ct);
        await using var messages = new MessageStream(client.Stream);

        foreach (var text in new[] { "one", "", "Привет 😀", new string('z', 100_000) })
        {
            await messages.SendMessageAsync(text, ct);
            Assert.Equal(text, await messages.ReceiveMessageAsync(ct));
        }
    }

    [Fact]
    public async Task A_certificate_seen_first_is_recorded_then_accepted_and_a_changed_one_is_refused_loudly()
    {
        var ct = TestTimeout.Token();
        using var folder = new TempFolder();
        var file = folder.Combine("known_hosts");
        var known = new KnownHosts(file, NullLogger.Instance);
        await using var server = StartTls();

        await using (await ConnectAsync(server, new TlsClientOptions { KnownHosts = known, TrustOnFirstUse = true }, ct))
        {
        }

        Assert.Equal($"[127.0.0.1]:{server.Port} {CertificateFingerprint.Of(TlsTestCertificates.Localhost)}\n", await File.ReadAllTextAsync(file, ct));
        await using (await ConnectAsync(server, new TlsClientOptions { KnownHosts = known }, ct))
        {
        }

        var other = CertificateFingerprint.Of(TlsTestCertificates.Create("impostor"));
        await File.WriteAllTextAsync(file, $"# recorded earlier\n[127.0.0.1]:{server.Port} {other}\n", ct);
        var e = await Assert.ThrowsAsync<TlsException>(() => ConnectAsync(server, new TlsClientOptions { KnownHosts = known, TrustOnFirstUse = true }, ct));

        Assert.Contains($"THE CERTIFICATE OF 127.0.0.1:{server.Port} HAS CHANGED", e.Message, StringComparison.Ordinal);
        Assert.Contains(other.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(CertificateFingerprint.Of(TlsTestCertificates.Localhost).ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains($"remove line 2 of {file}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_certificate_is_refused_without_a_terminal_and_asked_about_at_one()
    {
        var ct = TestTimeout.Token();
        using var folder = new TempFolder();
        var file = folder.Combine("known_hosts");
        await using var server = StartTls();
        TrustQuestion? asked = null;

        var refused = await Assert.ThrowsAsync<TlsException>(() =>
            ConnectAsync(server, new TlsClientOptions { KnownHosts = new KnownHosts(file, NullLogger.Instance) }, ct));
        await using (await ConnectAsync(server, new TlsClientOptions
        {
            KnownHosts = new KnownHosts(file, NullLogger.Instance),
            Ask = q =>
            {
                asked = q;
                return true;
            },
        }, ct))
        {
        }

        Assert.Contains("has not been seen before", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--trust-on-first-use", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(asked);
        Assert.Equal(CertificateFingerprint.Of(TlsTestCertificates.Localhost), asked.Fingerprint);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_pinned_fingerprint_is_accepted_and_a_wrong_one_refused()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls();
        var wrong = CertificateFingerprint.Of(TlsTestCertificates.Create("other"));

        await using (await ConnectAsync(server, Pinned(), ct))
        {
        }

        var e = await Assert.ThrowsAsync<TlsException>(() => ConnectAsync(server, new TlsClientOptions { Pinned = wrong }, ct));
        Assert.Contains($"not the pinned {wrong}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_accepts_anything_with_a_warning()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls();
        var (factory, logs) = TestLogging.Create();

        await using (await TcpConnector.ConnectAsync("127.0.0.1", server.Port, new ConnectOptions { Tls = new TlsClientOptions { Insecure = true } },
            factory.CreateLogger("client"), ct))
        {
        }

        Assert.True(logs.Has("Insecure", r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task A_plain_text_client_on_a_TLS_port_is_disconnected_with_the_reason_logged_and_others_carry_on()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls();
        using var plain = await server.ConnectAsync(cancellationToken: ct);

        await plain.SendAllAsync("hello\n"u8.ToArray(), ct);

        Assert.Empty(await plain.ReadToEndAsync(ct));
        Assert.True(server.Logs.Has("TransformFailed", r => r.Message.Contains("does not speak TLS", StringComparison.Ordinal)));
        await using var good = await ConnectAsync(server, Pinned(), ct);
        await good.Stream.WriteAsync("fine\n"u8.ToArray(), ct);
        Assert.Equal((byte)'f', (byte)good.Stream.ReadByte());
    }

    [Fact]
    public async Task A_TLS_client_on_a_plain_port_gets_one_clear_error_and_the_server_carries_on()
    {
        var ct = TestTimeout.Token();
        await using var server = LoopbackServer.Start(logs => new EchoHandler(new EchoOptions(), logs));

        var e = await Assert.ThrowsAsync<TlsException>(() => ConnectAsync(server, Pinned(), ct));

        Assert.StartsWith($"TLS handshake with 127.0.0.1:{server.Port} failed: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(is the server started with --tls?)", e.Message, StringComparison.Ordinal);
        using var plain = await server.ConnectAsync(cancellationToken: ct);
        await plain.SendAllAsync("ok\n"u8.ToArray(), ct);
        Assert.Equal("ok\n"u8.ToArray(), await plain.ReadExactlyAsync(3, ct));
    }

    [Fact]
    public async Task A_client_that_never_starts_the_handshake_is_dropped_at_the_time_limit_and_others_carry_on()
    {
        var ct = TestTimeout.Token();
        await using var server = StartTls(handshakeTimeout: TimeSpan.FromMilliseconds(300));
        using var silent = await server.ConnectAsync(cancellationToken: ct);
        await using var good = await ConnectAsync(server, Pinned(), ct);

        Assert.Empty(await silent.ReadToEndAsync(ct));

        Assert.True(server.Logs.Has("TransformFailed", r => r.Message.Contains("TLS handshake timed out after 300 ms", StringComparison.Ordinal)));
        await good.Stream.WriteAsync("alive\n"u8.ToArray(), ct);
        Assert.Equal((byte)'a', (byte)good.Stream.ReadByte());
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_makes_the_client_give_up_at_its_time_limit()
    {
        var ct = TestTimeout.Token();
        using var mute = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        mute.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        mute.Listen();
        var port = ((IPEndPoint)mute.LocalEndPoint!).Port;

        var e = await Assert.ThrowsAsync<TlsException>(() => TcpConnector.ConnectAsync("127.0.0.1", port,
            new ConnectOptions { Tls = new TlsClientOptions { Insecure = true, HandshakeTimeout = TimeSpan.FromMilliseconds(300) } }, NullLogger.Instance, ct));

        Assert.Equal($"TLS handshake with 127.0.0.1:{port} timed out after 300 ms (is the server started with --tls?)", e.Message);
    }
}
